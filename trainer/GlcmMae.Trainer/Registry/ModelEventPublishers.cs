using Azure.Identity;
using Azure.Messaging.ServiceBus;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Storage;

namespace GlcmMae.Trainer.Registry;

/// <summary>Opens the model-events publisher a command was asked for.</summary>
internal static class ModelEventPublishers
{
    /// <summary>Service Bus connection string (the emulator's, or a namespace's with SAS keys).</summary>
    public const string ConnectionVariable = "GLCMMAE_SERVICEBUS_CONNECTION_STRING";

    /// <summary>Service Bus namespace host name, used with the Azure identity (set by infra/ in the trainer job).</summary>
    public const string NamespaceVariable = "GLCMMAE_ServiceBus__FullyQualifiedNamespace";

    /// <summary>The publisher, or null for <see cref="ModelEventTarget.None"/>; dispose it when done.</summary>
    public static ModelEvents Open(ModelEventTarget target, string root)
    {
        var connection = Environment.GetEnvironmentVariable(ConnectionVariable);
        var fullyQualifiedNamespace = Environment.GetEnvironmentVariable(NamespaceVariable);
        var configured = !string.IsNullOrEmpty(connection) || !string.IsNullOrEmpty(fullyQualifiedNamespace);
        if (target == ModelEventTarget.None)
        {
            return new ModelEvents(null, null);
        }

        if (target == ModelEventTarget.File || (target == ModelEventTarget.Auto && !configured))
        {
            return new ModelEvents(new FileModelEventPublisher(Path.Combine(root, "topics")), null);
        }

        if (!configured)
        {
            throw new StorageNotConfiguredException($"--events servicebus needs {ConnectionVariable} or {NamespaceVariable} (with an Azure identity).");
        }

        // In the trainer job DefaultAzureCredential takes the user-assigned identity that AZURE_CLIENT_ID names
        // (https://learn.microsoft.com/dotnet/api/azure.identity.defaultazurecredential), which holds Azure Service Bus
        // Data Sender on the model-events topic (https://learn.microsoft.com/azure/service-bus-messaging/authenticate-application);
        // unverified here, as no Azure is reachable.
        var client = !string.IsNullOrEmpty(connection) ? new ServiceBusClient(connection) : new ServiceBusClient(fullyQualifiedNamespace, new DefaultAzureCredential());
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
