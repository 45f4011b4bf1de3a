using Azure.Storage.Queues;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using GlcmMae.Shared.Storage;
using GlcmMae.Testing;
using GlcmMae.Trainer.Serving;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GlcmMae.Trainer.Tests.Serving;

/// <summary>
/// The queue-trigger loop against Azurite: a failed try leaves the message for another, the fifth failure moves it to
/// the poison queue, and storage going away is survived. A message that is not an event exercises the publish path
/// without a model (it becomes one InvalidEvent error).
/// </summary>
public sealed class QueueTriggerLoopTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TempFolder _models = new();

    [Fact]
    public async Task A_failed_publish_is_tried_again_until_it_succeeds_and_the_message_is_then_deleted()
    {
        var (queue, poison) = await QueuesAsync();
        var publisher = new FlakyPublisher(failures: 2);
        var loop = Loop(queue, poison, publisher);
        await queue.SendMessageAsync("not an event");

        await RunUntilAsync(loop, () => loop.Completed == 1);

        Assert.Equal(3, publisher.Attempts);
        Assert.Single(publisher.Published);
        Assert.Equal("InvalidEvent", publisher.Published[0].Error!.Code);
        Assert.Equal((2L, 0L), (loop.Retried, loop.Poisoned));
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task A_message_that_fails_five_times_moves_to_the_poison_queue_untouched()
    {
        var (queue, poison) = await QueuesAsync();
        var publisher = new FlakyPublisher(failures: int.MaxValue);
        var loop = Loop(queue, poison, publisher);
        await queue.SendMessageAsync("still not an event");

        await RunUntilAsync(loop, () => loop.Poisoned == 1);

        Assert.Equal(QueueTriggerLoop.MaxDequeueCount, publisher.Attempts);
        Assert.Equal(4, loop.Retried);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        var poisoned = (await poison.ReceiveMessagesAsync(1)).Value.Single();
        Assert.Equal("still not an event", poisoned.Body.ToString());
    }

    [Fact]
    public async Task Storage_going_away_is_counted_and_survived()
    {
        var (queue, poison) = await QueuesAsync();
        var publisher = new FlakyPublisher(failures: 0);
        var loop = Loop(queue, poison, publisher);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var running = loop.RunAsync(stopWhenEmpty: false, stop.Token);

        await azurite.Process.RestartAsync(TimeSpan.FromSeconds(8));
        await queue.SendMessageAsync("after the restart");
        while (loop.Completed == 0 && !stop.IsCancellationRequested)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(1, loop.Completed);
        Assert.True(loop.StorageFailures > 0, "the receive calls made while Azurite was down should have failed and been counted");
        Assert.Single(publisher.Published);
    }

    public void Dispose() => _models.Dispose();

    private async Task<(QueueClient Queue, QueueClient Poison)> QueuesAsync()
    {
        var name = $"events-{Guid.NewGuid():N}"[..20];
        // Few SDK retries, so that an outage reaches the loop instead of being ridden out inside the client.
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        var queue = new QueueClient(azurite.ConnectionString, name, options);
        var poison = new QueueClient(azurite.ConnectionString, name + "-poison", options);
        await queue.CreateAsync();
        return (queue, poison);
    }

    private QueueTriggerLoop Loop(QueueClient queue, QueueClient poison, IOutcomePublisher publisher)
    {
        var options = Options.Create(new ServingOptions());
        var host = new ModelHost(new ModelRegistry(new LocalFolderBlobStore(_models.Path)), options, NullLogger<ModelHost>.Instance);
        var pipeline = new ScanPipeline(host, options, NullLogger<ScanPipeline>.Instance);
        var processor = new ScanEventProcessor(pipeline, azurite.CreateBlobServiceClient(), publisher, NullLogger<ScanEventProcessor>.Instance);
        return new QueueTriggerLoop(queue, poison, processor, _ => { }) { RetryAfter = _ => TimeSpan.FromMilliseconds(200) };
    }

    private static async Task RunUntilAsync(QueueTriggerLoop loop, Func<bool> done)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var running = loop.RunAsync(stopWhenEmpty: false, stop.Token);
        while (!done() && !stop.IsCancellationRequested)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.True(done(), "the loop did not get there within a minute");
    }

    /// <summary>Fails the first <c>failures</c> publishes (as Service Bus being away would), then records what it is given.</summary>
    private sealed class FlakyPublisher(int failures) : IOutcomePublisher
    {
        private int _attempts;

        public int Attempts => _attempts;

        public List<ScanOutcome> Published { get; } = [];

        public Task PublishAsync(IReadOnlyList<ScanOutcome> outcomes, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _attempts) <= failures)
            {
                throw new InvalidOperationException("Service Bus is away (test).");
            }

            lock (Published)
            {
                Published.AddRange(outcomes);
            }

            return Task.CompletedTask;
        }
    }
}
