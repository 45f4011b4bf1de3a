using Azure.Identity;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GlcmMae.Shared.Hosting;

/// <summary>The Azure clients every host of the pipeline uses (the functions app, <c>glcmmae bench pipeline</c>), registered one way.</summary>
public static class AzureClientsServiceCollectionExtensions
{
    /// <summary>Blob, table and Service Bus clients: identity-based (BlobServiceUri, TableServiceUri, FullyQualifiedNamespace) in Azure, connection strings locally.</summary>
    public static IServiceCollection AddGlcmAzureClients(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddAzureClients(clients =>
        {
            var storage = configuration.GetSection("Storage");
            if (storage["ConnectionString"] is { Length: > 0 } connection)
            {
                clients.AddBlobServiceClient(connection);
                clients.AddTableServiceClient(connection);
            }
            else if (storage["BlobServiceUri"] is { Length: > 0 } blobUri)
            {
                clients.AddBlobServiceClient(new Uri(blobUri));
            }

            if (storage["ConnectionString"] is not { Length: > 0 } && storage["TableServiceUri"] is { Length: > 0 } tableUri)
            {
                // Study results (Studies:Store=Table) keep instance results in the same account's table service.
                clients.AddTableServiceClient(new Uri(tableUri));
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
