using Azure.Storage.Queues;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Storage;

namespace GlcmMae.Trainer.Serving;

/// <summary>Hosts the pipeline locally: drains a scans folder or the <c>scan-events</c> queue, publishes outcomes, follows promotions.</summary>
internal sealed class ServeLoop(ModelHost models, ScanPipeline pipeline, IOutcomePublisher publisher, Action<ScanOutcome> report)
{
    /// <summary>Messages that failed this often move to the poison queue, as the Functions host does.</summary>
    public const int MaxDequeueCount = 5;

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

    /// <summary>Receives scan events from the storage queue; failures are retried up to <see cref="MaxDequeueCount"/>, then poisoned.</summary>
    public async Task<int> RunQueueAsync(ScanEventProcessor processor, bool once, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(processor);
        var queue = ScanEventQueues.Open();
        var poison = ScanEventQueues.Open(ScanEventQueues.PoisonName);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var handled = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var messages = (await queue.ReceiveMessagesAsync(8, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false)).Value;
            if (messages.Length == 0)
            {
                if (once)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                continue;
            }

            foreach (var message in messages)
            {
                try
                {
                    foreach (var outcome in await processor.ProcessAsync(message.Body.ToString(), cancellationToken).ConfigureAwait(false))
                    {
                        report(outcome);
                    }

                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                    handled++;
                }
                catch (Exception exception) when (exception is not OperationCanceledException && message.DequeueCount >= MaxDequeueCount)
                {
                    await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Leave it: it becomes visible again after the visibility timeout and is retried.
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.FromSeconds(Math.Min(30, 1 << (int)message.DequeueCount)), cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return handled;
    }
}
