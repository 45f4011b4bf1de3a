using GlcmMae.Functions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

FunctionsApplication.CreateBuilder(args)
    .AddGlcmFunctions()
    .Build()
    .Run();
