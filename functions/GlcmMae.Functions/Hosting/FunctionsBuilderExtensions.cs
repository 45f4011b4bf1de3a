using Azure.Identity;
using GlcmMae.Shared.Diagnostics;
using GlcmMae.Shared.Pipeline;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Azure;
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

    /// <summary>Blob and Service Bus clients: identity-based (BlobServiceUri, FullyQualifiedNamespace) in Azure, connection strings locally.</summary>
    public static IServiceCollection AddGlcmAzureClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAzureClients(clients =>
        {
            var storage = configuration.GetSection("Storage");
            if (storage["ConnectionString"] is { Length: > 0 } connection)
            {
                clients.AddBlobServiceClient(connection);
            }
            else if (storage["BlobServiceUri"] is { Length: > 0 } blobUri)
            {
                clients.AddBlobServiceClient(new Uri(blobUri));
            }

            var serviceBus = configuration.GetSection("ServiceBus");
            if (serviceBus["ConnectionString"] is { Length: > 0 } busConnection)
            {
                clients.AddServiceBusClient(busConnection);
            }
            else if (serviceBus["FullyQualifiedNamespace"] is { Length: > 0 } busNamespace)
            {
                clients.AddServiceBusClientWithNamespace(busNamespace);
            }

            clients.UseCredential(new DefaultAzureCredential());
            clients.ConfigureDefaults(options =>
            {
                options.Retry.Mode = Azure.Core.RetryMode.Exponential;
                options.Retry.MaxRetries = 5;
            });
        });
        return services;
    }
}
