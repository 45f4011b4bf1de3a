using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using GlcmMae.Shared.Storage;
using GlcmMae.Shared.Studies;

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
    /// <remarks>
    /// With study results on (<paramref name="studies"/>), due studies are completed every minute alongside, as the
    /// functions' timer does, and once more at the end of a <paramref name="once"/> run.
    /// </remarks>
    public async Task<int> RunQueueAsync(ScanEventProcessor processor, AzureConnections connections, bool once, StudyCompleter? studies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(processor);
        var loop = new QueueTriggerLoop(ScanEventQueues.Open(connections), ScanEventQueues.Open(connections, ScanEventQueues.PoisonName), processor, report);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var completing = studies is null || once ? Task.CompletedTask : CompleteStudiesAsync(studies, stop.Token);
        try
        {
            return (int)await loop.RunAsync(once, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await completing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (once && studies is not null)
            {
                await studies.CompleteDueAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task CompleteStudiesAsync(StudyCompleter studies, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await studies.CompleteDueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A failure (storage or broker down) ends this pass only; the claims make the next pass pick up where it stopped.
                await Console.Error.WriteLineAsync($"warn: completing studies failed ({exception.GetType().Name}: {exception.Message}); the next pass retries in a minute.").ConfigureAwait(false);
            }
        }
    }
}
