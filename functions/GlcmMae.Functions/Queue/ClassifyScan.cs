using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using Microsoft.Azure.Functions.Worker;

namespace GlcmMae.Functions.Queue;

/// <summary>Classifies the blobs announced by a BlobCreated event on the <c>scan-events</c> queue and publishes the outcomes.</summary>
/// <remarks>Bad scans are published as errors and the message completes; a thrown exception makes the queue retry, then poison.</remarks>
internal sealed class ClassifyScan(ScanEventProcessor processor)
{
    /// <summary>Queue name of the architecture brief.</summary>
    public const string QueueName = ScanEventProcessor.EventsQueue;

    [Function(nameof(ClassifyScan))]
    public Task RunAsync([QueueTrigger(QueueName, Connection = "ScanEvents")] string message, CancellationToken cancellationToken) =>
        processor.ProcessAsync(message, cancellationToken);
}
