using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;

namespace GlcmMae.Trainer.Serving;

/// <summary>
/// Receives <c>scan-events</c> messages as one instance of the Functions queue trigger does (host.json's queues
/// section): a batch at a time processed concurrently, deleted after the outcomes are published, made visible again
/// after a failure, and moved to the poison queue after <see cref="MaxDequeueCount"/> tries. Storage being unreachable
/// is survived and counted, as the host survives it.
/// </summary>
/// <remarks>
/// The Functions host leaves a failed message for host.json's fixed visibilityTimeout (30 s) before the next try; this
/// loop backs off 2, 4, 8, 16 then 30 s so that local runs and the rehearsal finish sooner with the same number of tries.
/// </remarks>
internal sealed class QueueTriggerLoop(QueueClient queue, QueueClient poison, ScanEventProcessor processor, Action<ScanOutcome> report)
{
    private readonly Lock _reporting = new();

    /// <summary>Tries before a message moves to the poison queue (host.json maxDequeueCount).</summary>
    public const int MaxDequeueCount = 5;

    /// <summary>Messages received and processed together (host.json batchSize).</summary>
    public const int DefaultBatchSize = 4;

    // How long a received message stays invisible while it is processed: longer than any scan takes.
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MaxPollingInterval = TimeSpan.FromSeconds(2);

    private long _received;
    private long _completed;
    private long _retried;
    private long _poisoned;
    private long _storageFailures;

    /// <summary>Messages received (a redelivery counts again).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages processed and deleted.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Tries that failed and left the message for another.</summary>
    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>Messages moved to the poison queue.</summary>
    public long Poisoned => Interlocked.Read(ref _poisoned);

    /// <summary>Receive, delete or update calls that failed because storage could not be reached or refused.</summary>
    public long StorageFailures => Interlocked.Read(ref _storageFailures);

    /// <summary>Messages received and processed concurrently per receive.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>How long a message that failed its <c>n</c>-th try stays invisible before the next (default 2, 4, 8, 16, then 30 s).</summary>
    public Func<long, TimeSpan> RetryAfter { get; init; } = tries => TimeSpan.FromSeconds(Math.Min(30, 1 << (int)Math.Clamp(tries, 1, 5)));

    /// <summary>Receives and processes until cancelled, or, with <paramref name="stopWhenEmpty"/>, until the queue holds no message (none visible, none waiting out a retry).</summary>
    /// <returns>How many messages this call completed.</returns>
    public async Task<long> RunAsync(bool stopWhenEmpty, CancellationToken cancellationToken)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var completedBefore = Completed;
        var idle = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(BatchSize, Lease, cancellationToken).ConfigureAwait(false)).Value;
            }
            catch (Exception exception) when (StorageOutages.Match(exception, cancellationToken))
            {
                Interlocked.Increment(ref _storageFailures);
                await Task.Delay(MaxPollingInterval, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (messages.Length == 0)
            {
                // Empty means no message at all: one waiting out its retry delay is invisible to a receive, but still
                // counted by the queue, and a run that stopped before it came back would lose its outcome.
                if (stopWhenEmpty && await IsDrainedAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                // The host polls an empty queue less and less often, up to maxPollingInterval.
                idle = Math.Min(idle + 1, 5);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(MaxPollingInterval.TotalMilliseconds, 100 << idle)), cancellationToken).ConfigureAwait(false);
                continue;
            }

            idle = 0;
            Interlocked.Add(ref _received, messages.Length);
            await Task.WhenAll(messages.Select(message => HandleAsync(message, cancellationToken))).ConfigureAwait(false);
        }

        return Completed - completedBefore;
    }

    private async Task<bool> IsDrainedAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount == 0;
        }
        catch (Exception exception) when (StorageOutages.Match(exception, cancellationToken))
        {
            Interlocked.Increment(ref _storageFailures);
            return false;
        }
    }

    private async Task HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var outcome in await processor.ProcessAsync(message.Body.ToString(), cancellationToken).ConfigureAwait(false))
            {
                // The messages of a batch are handled concurrently; the callback sees one outcome at a time (callers
                // add to lists and write lines). Unserialised, a quickstart run once lost one of its ten rows.
                lock (_reporting)
                {
                    report(outcome);
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await FailAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _completed);
        }
        catch (Exception exception) when (StorageOutages.Match(exception, cancellationToken))
        {
            // The outcomes are published; the message comes back after its lease and is published again under the
            // same message ids, which Service Bus duplicate detection drops.
            Interlocked.Increment(ref _storageFailures);
        }
    }

    private async Task FailAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            if (message.DequeueCount >= MaxDequeueCount)
            {
                await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _poisoned);
                return;
            }

            Interlocked.Increment(ref _retried);
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: RetryAfter(message.DequeueCount), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StorageOutages.Match(exception, cancellationToken))
        {
            // Storage is away: the message becomes visible again when its lease ends and is tried again then.
            Interlocked.Increment(ref _storageFailures);
        }
    }
}
