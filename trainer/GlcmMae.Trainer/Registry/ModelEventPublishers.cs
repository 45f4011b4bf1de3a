using Azure.Messaging.ServiceBus;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Storage;
using GlcmMae.Trainer.Hosting;

namespace GlcmMae.Trainer.Registry;

/// <summary>Opens the model-events publisher a command was asked for.</summary>
internal static class ModelEventPublishers
{
    /// <summary>The publisher, or null for <see cref="ModelEventTarget.None"/>; dispose it when done.</summary>
    /// <param name="target">Where events go; Auto is Service Bus when <paramref name="connections"/> has a namespace, else files.</param>
    /// <param name="root">The folder whose <c>topics</c> receive file events.</param>
    /// <param name="connections">The Service Bus namespace; null: the command's <c>ServiceBus</c> settings.</param>
    public static ModelEvents Open(ModelEventTarget target, string root, AzureConnections? connections = null)
    {
        if (target == ModelEventTarget.None)
        {
            return new ModelEvents(null, null);
        }

        connections ??= TrainerSettings.Connections();
        if (target == ModelEventTarget.File || (target == ModelEventTarget.Auto && !connections.HasServiceBus))
        {
            return new ModelEvents(new FileModelEventPublisher(Path.Combine(root, "topics")), null);
        }

        // In the trainer job the identity is the user-assigned one that AZURE_CLIENT_ID names, which holds Azure Service
        // Bus Data Sender on the model-events topic (https://learn.microsoft.com/azure/service-bus-messaging/authenticate-application);
        // unverified here, as no Azure is reachable. No namespace at all is a StorageNotConfiguredException naming the settings.
        var client = connections.ServiceBus();
        return new ModelEvents(new ServiceBusModelEventPublisher(client), client);
    }
}

/// <summary>An open model-events publisher and what it holds.</summary>
internal sealed class ModelEvents(IModelEventPublisher? publisher, ServiceBusClient? client) : IAsyncDisposable
{
    /// <summary>The publisher; null when events are off.</summary>
    public IModelEventPublisher? Publisher => publisher;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (publisher is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }

        if (client is not null)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }
}
