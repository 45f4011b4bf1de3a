using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GlcmMae.Rehearsal.Messaging;
using GlcmMae.Rehearsal.Storage;
using GlcmMae.Shared.Hosting;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using GlcmMae.Shared.Storage;
using GlcmMae.Trainer.Hosting;
using GlcmMae.Trainer.Serving;
using GlcmMae.Trainer.Synthesis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GlcmMae.Trainer.Benchmarks.Pipeline;

/// <summary>
/// Load and fault rehearsal of the serving path: scans uploaded to Azurite with their BlobCreated events on the
/// <c>scan-events</c> queue (both schemas, plain and base64), received as the Functions queue trigger receives them and
/// handled by the functions' own <see cref="ScanEventProcessor"/> wiring, outcomes published to a local AMQP broker that
/// does Service Bus duplicate detection; meanwhile the broker goes down, Azurite restarts, damaged files and repeated
/// events arrive, and a new model is promoted. The ledger then accounts for every blob.
/// </summary>
internal static class PipelineRehearsal
{
    private const string ModelName = "rehearsal";
    private static readonly TimeSpan ProducerPatience = TimeSpan.FromMinutes(2);

    // Shares of the scans with an outcome at which the faults strike: the promotion first, so that most scans are served
    // by the new model; the broker outage last, because outcomes held back by it arrive in a burst when it returns.
    private static readonly double[] FaultMarks = [0.2, 0.4, 0.6];

    /// <summary>Runs the rehearsal; progress lines go to <paramref name="progress"/>.</summary>
    /// <exception cref="StorageNotConfiguredException">No Azurite to start.</exception>
    public static async Task<PipelineRehearsalResult> RunAsync(PipelineRehearsalOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var executable = AzuriteProcess.Locate(options.AzuritePath) ?? throw new StorageNotConfiguredException(
            options.AzuritePath is null ? LocalAzurite.NotFound : $"--azurite names no file ({options.AzuritePath}).");
        var folder = Directory.CreateTempSubdirectory("glcmmae-bench-pipeline-").FullName;
        try
        {
            await using var azurite = await AzuriteProcess.StartAsync(executable, Path.Combine(folder, "azurite"), cancellationToken).ConfigureAwait(false);
            await using var broker = new LocalServiceBusBroker(Topics.Results, Topics.Errors);
            broker.Start();
            return await RunAsync(options, azurite, broker, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<PipelineRehearsalResult> RunAsync(PipelineRehearsalOptions options, AzuriteProcess azurite, LocalServiceBusBroker broker, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        // The uploader stands for the hospital and Event Grid, which retry on their own: its clients retry harder.
        var blobs = new BlobServiceClient(azurite.ConnectionString, AzureBlobStore.ClientOptions());
        var registry = new ModelRegistry(new AzureBlobStore(blobs.GetBlobContainerClient("models")));
        await blobs.GetBlobContainerClient("models").CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        progress?.Report($"exporting and publishing an untrained '{options.Preset}' classifier (v1{(options.Faults.HasFlag(PipelineFaults.Promotion) ? ", and v2 to promote mid-run" : string.Empty)})");
        await BenchmarkModels.PublishAsync(registry, options.Preset, ModelName, "v1", seed: 1, promote: true, "glcmmae bench pipeline", cancellationToken).ConfigureAwait(false);
        if (options.Faults.HasFlag(PipelineFaults.Promotion))
        {
            await BenchmarkModels.PublishAsync(registry, options.Preset, ModelName, "v2", seed: 2, promote: false, "glcmmae bench pipeline", cancellationToken).ConfigureAwait(false);
        }

        await using var services = BuildServing(options, azurite, broker);
        var hosted = services.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var models = services.GetRequiredService<ModelHost>();
            await WaitForModelAsync(models, "v1", cancellationToken).ConfigureAwait(false);
            var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
            var queue = new QueueClient(azurite.ConnectionString, ScanEventProcessor.EventsQueue, queueOptions);
            var poison = new QueueClient(azurite.ConnectionString, ScanEventQueues.PoisonName, queueOptions);
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var scans = blobs.GetBlobContainerClient(ScanEventProcessor.ScansContainer);
            await scans.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

            var processor = services.GetRequiredService<ScanEventProcessor>();
            var loops = Enumerable.Range(0, options.Consumers).Select(_ => new QueueTriggerLoop(queue, poison, processor, _ => { })).ToList();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var receivers = loops.Select(loop => Task.Run(() => loop.RunAsync(stopWhenEmpty: false, stop.Token), CancellationToken.None)).ToList();

            var plan = RehearsalPlan.Create(options);
            var clock = Stopwatch.StartNew();
            var faults = new ConcurrentQueue<RehearsalFault>();
            void Note(string what) => faults.Enqueue(new RehearsalFault(Math.Round(clock.Elapsed.TotalSeconds, 2), what));
            Task Inject(double share) => share switch
            {
                0.6 when options.Faults.HasFlag(PipelineFaults.BrokerOutage) => Task.Run(async () =>
                {
                    Note("Service Bus broker stopped (every connection dropped)");
                    broker.Stop();
                    await Task.Delay(options.BrokerOutage, cancellationToken).ConfigureAwait(false);
                    broker.Start();
                    Note("Service Bus broker started");
                }, cancellationToken),
                0.2 when options.Faults.HasFlag(PipelineFaults.Promotion) => Task.Run(async () =>
                {
                    Note("promoting model v2");
                    await registry.PromoteAsync(ModelName, "v2", new PromotionNote("rehearsal: promotion under load", "glcmmae bench pipeline"), cancellationToken).ConfigureAwait(false);
                    Note("model v2 promoted");
                    // The fault is over when serving has followed it, so that the next one cannot hide whether it did.
                    await WaitForModelAsync(models, "v2", cancellationToken).ConfigureAwait(false);
                    Note("serving switched to v2");
                }, cancellationToken),
                0.4 when options.Faults.HasFlag(PipelineFaults.StorageRestart) => Task.Run(async () =>
                {
                    Note("Azurite stopped (SIGTERM)");
                    await azurite.RestartAsync(options.StorageDowntime, cancellationToken).ConfigureAwait(false);
                    Note("Azurite started again");
                }, cancellationToken),
                _ => Task.CompletedTask,
            };

            var producer = ProduceAsync(plan, scans, queue, options, progress, cancellationToken);
            var collector = new OutcomeCollector(broker, plan.Scans.Select(s => s.BlobName));
            await WatchAsync(collector, producer, queue, options.Timeout, Inject, progress, cancellationToken).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var receiver in receivers)
            {
                try
                {
                    await receiver.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // Stopped on purpose.
                }
            }

            var (uploads, sent) = await producer.ConfigureAwait(false);
            collector.Update();
            var poisoned = (await poison.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount;
            return Summarise(options, started, plan, uploads, sent, collector.Outcomes, poisoned, loops, broker.DuplicatesDropped, [.. faults]);
        }
        finally
        {
            foreach (var service in hosted)
            {
                await service.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The functions app's registrations (<see cref="AzureClientsServiceCollectionExtensions"/>, <see cref="ServingServiceCollectionExtensions"/>) against Azurite and the broker.</summary>
    private static ServiceProvider BuildServing(PipelineRehearsalOptions options, AzuriteProcess azurite, LocalServiceBusBroker broker)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["ServiceBus:ConnectionString"] = broker.ConnectionString,
            ["Models:Name"] = ModelName,
            ["Serving:ModelStore"] = "azure",
            ["Serving:Messaging"] = "servicebus",
            ["Inference:ExecutionProvider"] = options.ExecutionProvider.ToString(),
            // Follow the promotion within a second rather than the deployed 30 s, so that it lands inside a short run.
            ["Inference:RefreshSeconds"] = "1",
        }).Build();
        var services = new ServiceCollection();
        // The SDKs' retry warnings (with their stack traces) are what the injected faults are meant to cause: errors only.
        services.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning).AddFilter("Azure", LogLevel.Error));
        // Logs go to standard error: standard output carries the table or the one JSON document.
        services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        services.AddGlcmAzureClients(configuration).AddScanServing(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>Waits until serving runs <paramref name="version"/> (it polls the registry every second).</summary>
    private static async Task WaitForModelAsync(ModelHost host, string version, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (host.Current?.Manifest.Version != version)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"Serving did not load the rehearsal model {version} within 60 s: {host.LastError}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Uploads every scan of the plan and writes its event (paced at <see cref="PipelineRehearsalOptions.Rate"/>, or as fast as four uploaders go), repeats included.</summary>
    private static async Task<(IReadOnlyList<RehearsalUpload> Uploads, int Sent)> ProduceAsync(
        RehearsalPlan plan, BlobContainerClient scans, QueueClient queue, PipelineRehearsalOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var pool = Enumerable.Range(0, 16).Select(i => BenchmarkImages.Phantom(options.ScanSize, SynthFormat.Png, i)).ToArray();
        var pace = Stopwatch.StartNew();
        var uploads = new ConcurrentBag<RehearsalUpload>();
        var repeats = new ConcurrentBag<Task>();
        var sent = 0;
        var done = 0;
        await Parallel.ForEachAsync(plan.Scans, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (scan, ct) =>
        {
            if (options.Rate > 0 && TimeSpan.FromSeconds(scan.Index / options.Rate) - pace.Elapsed is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait, ct).ConfigureAwait(false);
            }

            var blob = scans.GetBlobClient(scan.BlobName);
            var content = scan.Corrupt ? Damaged(pool[scan.Index % pool.Length], scan.Index) : pool[scan.Index % pool.Length];
            var info = await PersistAsync(() => blob.UploadAsync(new BinaryData(content), overwrite: true, ct), ct).ConfigureAwait(false);
            uploads.Add(new RehearsalUpload(scan.BlobName, scan.Corrupt, DateTimeOffset.UtcNow));
            var message = BlobCreatedEvents.Create(blob.Uri, info.Value.ETag.ToString(), scans.Name, scan.BlobName, scan.Schema, scan.Encoding);
            await PersistAsync(() => queue.SendMessageAsync(message, ct), ct).ConfigureAwait(false);
            Interlocked.Increment(ref sent);
            if (scan.Repeat)
            {
                // Event Grid delivers at least once: the same event again, a little later.
                repeats.Add(Task.Run(async () =>
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200 + (scan.Index % 10 * 150)), ct).ConfigureAwait(false);
                    await PersistAsync(() => queue.SendMessageAsync(message, ct), ct).ConfigureAwait(false);
                    Interlocked.Increment(ref sent);
                }, ct));
            }

            var count = Interlocked.Increment(ref done);
            if (count % 1000 == 0)
            {
                progress?.Report($"{count} of {plan.Scans.Count} scans uploaded");
            }
        }).ConfigureAwait(false);
        await Task.WhenAll(repeats).ConfigureAwait(false);
        return ([.. uploads], sent);
    }

    /// <summary>Retries an uploader call until it succeeds (storage may be restarting), for at most two minutes.</summary>
    private static async Task<T> PersistAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception exception) when (StorageOutages.Match(exception, cancellationToken) && deadline.Elapsed < ProducerPatience)
            {
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Injects each fault when its share of the scans has an outcome and the fault before it is over (so that faults land
    /// while scans are in flight, whatever the upload speed), and returns once every scan has an outcome, the uploads and faults are over and the
    /// queue (repeats, retries) has stayed empty for a second; or at the timeout.
    /// </summary>
    private static async Task WatchAsync(
        OutcomeCollector collector, Task producer, QueueClient queue, TimeSpan timeout, Func<double, Task> inject, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var marks = new Queue<double>(FaultMarks);
        var faults = new List<Task>();
        var deadline = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var drained = 0;
        while (deadline.Elapsed < timeout)
        {
            var seen = collector.Update();
            // One fault at a time: each waits for the one before to be over, so that their effects can be told apart.
            if (marks.Count > 0 && seen >= marks.Peek() * collector.Expected && faults.All(f => f.IsCompleted))
            {
                faults.Add(inject(marks.Dequeue()));
            }

            if (producer.IsFaulted || faults.Any(f => f.IsFaulted))
            {
                await Task.WhenAll(faults.Append(producer)).ConfigureAwait(false);
            }

            var settled = producer.IsCompleted && marks.Count == 0 && faults.All(f => f.IsCompleted) && seen == collector.Expected;
            var waiting = settled ? await QueueLengthAsync(queue, cancellationToken).ConfigureAwait(false) : null;
            drained = settled && waiting == 0 ? drained + 1 : 0;
            if (drained >= 5)
            {
                return;
            }

            if (deadline.Elapsed - lastReport > TimeSpan.FromSeconds(10))
            {
                lastReport = deadline.Elapsed;
                progress?.Report($"{seen} of {collector.Expected} scans have an outcome");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        progress?.Report($"gave up waiting after {timeout.TotalSeconds:F0} s");
    }

    private static async Task<int?> QueueLengthAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        try
        {
            return (await queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount;
        }
        catch (Exception exception) when (StorageOutages.Match(exception, cancellationToken))
        {
            return null;
        }
    }

    private static PipelineRehearsalResult Summarise(
        PipelineRehearsalOptions options, DateTimeOffset started, RehearsalPlan plan, IReadOnlyList<RehearsalUpload> uploads, int sent,
        IReadOnlyList<RehearsalOutcome> outcomes, int poisoned, IReadOnlyList<QueueTriggerLoop> loops, int duplicatesDropped, IReadOnlyList<RehearsalFault> faults)
    {
        var ledger = PipelineLedger.Balance(uploads, outcomes, poisoned, ScanEventProcessor.ScansContainer);
        var first = outcomes.Where(o => o.Container == ScanEventProcessor.ScansContainer).GroupBy(o => o.BlobName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(o => o.ReceivedAt), StringComparer.Ordinal);
        var latencies = uploads.Where(u => first.ContainsKey(u.BlobName)).Select(u => Math.Max(0, (first[u.BlobName] - u.UploadedAt).TotalMilliseconds)).Order().ToArray();
        var begin = uploads.Count == 0 ? started : uploads.Min(u => u.UploadedAt);
        var end = first.Count == 0 ? begin : first.Values.Max();
        var seconds = Math.Max(1e-3, (end - begin).TotalSeconds);
        return new PipelineRehearsalResult
        {
            Options = options,
            Machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            Started = started,
            EventsSent = sent,
            DuplicateEvents = plan.Scans.Count(s => s.Repeat),
            Base64Events = plan.Scans.Count(s => s.Encoding == ScanEventEncoding.Base64),
            CloudEvents = plan.Scans.Count(s => s.Schema == ScanEventSchema.CloudEvents),
            Seconds = Math.Round(seconds, 2),
            ScansPerSecond = Math.Round(first.Count / seconds, 2),
            LatencyP50Milliseconds = Math.Round(Percentile(latencies, 0.5), 1),
            LatencyP95Milliseconds = Math.Round(Percentile(latencies, 0.95), 1),
            LatencyMaxMilliseconds = latencies.Length == 0 ? double.NaN : Math.Round(latencies[^1], 1),
            ResultsPerModel = outcomes.Where(o => o.ErrorCode is null).GroupBy(o => o.ModelVersion ?? "?", StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            Faults = faults,
            Received = loops.Sum(l => l.Received),
            Retried = loops.Sum(l => l.Retried),
            StorageFailures = loops.Sum(l => l.StorageFailures),
            DuplicatesDropped = duplicatesDropped,
            Ledger = ledger,
        };
    }

    private static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : Evaluation.Bootstrap.Percentile(sorted, q);

    /// <summary>A damaged upload, of one of three kinds: a truncated PNG, bytes that are no image, an empty file.</summary>
    private static byte[] Damaged(byte[] png, int index) => (index % 3) switch
    {
        0 => png[..(png.Length * 2 / 5)],
        1 => RandomBytes(png.Length, index),
        _ => [],
    };

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
