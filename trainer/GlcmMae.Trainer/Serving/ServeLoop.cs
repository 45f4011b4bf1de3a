using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using GlcmMae.Shared.Storage;

namespace GlcmMae.Trainer.Serving;

/// <summary>Hosts the pipeline locally: drains a scans folder or the <c>scan-events</c> queue, publishes outcomes, follows promotions.</summary>
internal sealed class ServeLoop(ModelHost models, ScanPipeline pipeline, IOutcomePublisher publisher, Action<ScanOutcome> report)
{
    /// <summary>Processes new files of the folder (concurrently, so micro-batching has company) until stopped, or once.</summary>
    public async Task<int> RunFolderAsync(FolderScanSource source, bool once, int concurrency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var processed = 0;
        var lastRefresh = DateTime.UtcNow;
        while (!cancellationToken.IsCancellationRequested)
        {
            var pending = source.Pending();
            if (pending.Count == 0)
            {
                if (once)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                if (DateTime.UtcNow - lastRefresh > TimeSpan.FromSeconds(10))
                {
                    await models.RefreshAsync(cancellationToken).ConfigureAwait(false);
                    lastRefresh = DateTime.UtcNow;
                }

                continue;
            }

            var gate = new object();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (input, ct) =>
            {
                var outcome = await pipeline.ProcessAsync(input, ct).ConfigureAwait(false);
                await publisher.PublishAsync([outcome], ct).ConfigureAwait(false);
                lock (gate)
                {
                    // Marked only after publishing: a crash in between re-publishes (the id makes that harmless), never loses.
                    source.MarkProcessed(input);
                    processed++;
                    report(outcome);
                }
            }).ConfigureAwait(false);
        }

        return processed;
    }

    /// <summary>Receives scan events from the storage queue as the Functions queue trigger does (<see cref="QueueTriggerLoop"/>).</summary>
    public async Task<int> RunQueueAsync(ScanEventProcessor processor, bool once, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(processor);
        var loop = new QueueTriggerLoop(ScanEventQueues.Open(), ScanEventQueues.Open(ScanEventQueues.PoisonName), processor, report);
        return (int)await loop.RunAsync(once, cancellationToken).ConfigureAwait(false);
    }
}
