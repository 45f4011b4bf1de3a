using Azure.Storage.Queues;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using GlcmMae.Shared.Storage;

namespace GlcmMae.Trainer.Serving;

/// <summary>The storage queues that carry BlobCreated events to the serving loop, configured as the functions host reads them.</summary>
internal static class ScanEventQueues
{
    /// <summary>The queue Event Grid delivers scan events to (and the ClassifyScan function's trigger).</summary>
    public const string Name = ScanEventProcessor.EventsQueue;

    /// <summary>Where events go after failing <see cref="QueueTriggerLoop.MaxDequeueCount"/> times.</summary>
    public const string PoisonName = Name + "-poison";

    /// <summary>A client of queue <paramref name="name"/> on the storage account of <paramref name="connections"/>.</summary>
    /// <remarks>Plain (not base64) messages: host.json's queue encoding is "none", as Event Grid writes them.</remarks>
    /// <exception cref="StorageNotConfiguredException">No storage account is configured.</exception>
    public static QueueClient Open(AzureConnections connections, string name = Name)
    {
        ArgumentNullException.ThrowIfNull(connections);
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        return connections.StorageConnectionString is { } connection ? new QueueClient(connection, name, options)
            : connections.SiblingEndpoint("queue") is { } queues ? new QueueClient(new Uri(queues, name), connections.Credential, options)
            : throw new StorageNotConfiguredException(AzureConnections.StorageMissing);
    }
}
