using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using GlcmMae.Shared.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GlcmMae.Shared.Hosting;

/// <summary>The Azure clients every host of the pipeline uses (the functions app, <c>glcmmae serve</c>, <c>glcmmae bench pipeline</c>), registered one way.</summary>
public static class AzureClientsServiceCollectionExtensions
{
    /// <summary>
    /// Blob, table and Service Bus clients built by <see cref="AzureConnections"/> from the <c>Storage</c> and
    /// <c>ServiceBus</c> settings: connection strings locally, endpoints with the managed identity in Azure. A client
    /// whose service is not configured is not registered, so a host that needs it fails at start, naming the setting.
    /// </summary>
    public static IServiceCollection AddGlcmAzureClients(this IServiceCollection services, IConfiguration configuration) =>
        services.AddGlcmAzureClients(AzureConnections.From(configuration));

    /// <summary>The same clients from connections already read (a host that starts its own Azurite).</summary>
    public static IServiceCollection AddGlcmAzureClients(this IServiceCollection services, AzureConnections connections)
    {
        ArgumentNullException.ThrowIfNull(connections);
        services.TryAddSingleton(connections);
        if (connections.HasStorage)
        {
            services.TryAddSingleton<BlobServiceClient>(_ => connections.BlobService());
            services.TryAddSingleton<TableServiceClient>(_ => connections.TableService());
        }

        if (connections.HasServiceBus)
        {
            services.TryAddSingleton<ServiceBusClient>(_ => connections.ServiceBus());
        }

        return services;
    }
}
