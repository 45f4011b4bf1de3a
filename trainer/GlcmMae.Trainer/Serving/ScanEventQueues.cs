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

    /// <summary>A client of <paramref name="name"/> on the account of GLCMMAE_STORAGE_CONNECTION_STRING.</summary>
    /// <remarks>Plain (not base64) messages: host.json's queue encoding is "none", as Event Grid writes them.</remarks>
    public static QueueClient Open(string name = Name)
    {
        var connection = Environment.GetEnvironmentVariable(StorageAccount.ConnectionStringVariable)
            ?? throw new StorageNotConfiguredException($"The scan-event queue needs {StorageAccount.ConnectionStringVariable} (for example Azurite's).");
        return new QueueClient(connection, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
    }
}
