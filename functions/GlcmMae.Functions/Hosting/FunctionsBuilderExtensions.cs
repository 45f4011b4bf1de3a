using GlcmMae.Shared.Diagnostics;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;

namespace GlcmMae.Functions.Hosting;

/// <summary>Host wiring for the functions app; each call returns the builder so calls chain.</summary>
internal static class FunctionsBuilderExtensions
{
    public static FunctionsApplicationBuilder AddGlcmFunctions(this FunctionsApplicationBuilder builder)
    {
        builder.Services.AddGlcmTelemetry(builder.Configuration, "glcmmae-functions");
        builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        return builder;
    }
}
