using GlcmMae.Shared.Diagnostics;
using GlcmMae.Shared.Hosting;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GlcmMae.Functions.Hosting;

/// <summary>Host wiring for the functions app; each call returns the builder so calls chain.</summary>
internal static class FunctionsBuilderExtensions
{
    public static FunctionsApplicationBuilder AddGlcmFunctions(this FunctionsApplicationBuilder builder)
    {
        // App settings named GLCMMAE_Section__Key (as infra/ sets them) bind like Section:Key.
        builder.Configuration.AddEnvironmentVariables("GLCMMAE_");
        builder.Services.AddGlcmTelemetry(builder.Configuration, "glcmmae-functions");
        builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        builder.Services.AddGlcmAzureClients(builder.Configuration);
        builder.Services.AddScanServing(builder.Configuration);
        builder.Services.AddSingleton<Http.ClassifyHandler>();
        return builder;
    }
}
