using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Storage;
using GlcmMae.Trainer.Export;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Synthesis;
using GlcmMae.Trainer.Training;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>
/// Throughput and latency of the whole serving pipeline (decode, preprocess, infer) at several concurrencies, with and
/// without micro-batching, next to bare ONNX Runtime on preprocessed tensors at the same batch size, in one run.
/// </summary>
internal static class ServeBenchmark
{
    private const double RoundSeconds = 0.5;
    private static readonly TimeSpan FirstWarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(100);
    private static int _warmedUp;

    /// <summary>Runs every preset x concurrency x batching combination of the plan, serving with <paramref name="serving"/> (its micro-batching switch is overridden per combination).</summary>
    public static async Task<IReadOnlyList<ServeBenchmarkRow>> RunAsync(ServeBenchmarkPlan plan, ServingOptions serving, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(serving);
        var rows = new List<ServeBenchmarkRow>();
        using var temp = new TemporaryFolder();
        foreach (var preset in plan.Presets)
        {
            var registry = new ModelRegistry(new LocalFolderBlobStore(Path.Combine(temp.Path, preset)));
            var (_, spec) = await BenchmarkModels.PublishAsync(registry, preset, "bench", "v1", seed: 0, promote: true, "glcmmae bench serve", cancellationToken).ConfigureAwait(false);
            var scanSize = plan.ScanSize > 0 ? plan.ScanSize : spec.ResizeShorterSide;
            var scans = Enumerable.Range(0, 16).Select(i => BenchmarkImages.Phantom(scanSize, plan.ScanFormat, i)).ToArray();
            var loaded = await registry.LoadAsync("bench", "v1", cancellationToken).ConfigureAwait(false);
            // ONNX Runtime's own defaults: one session, its thread count, spinning threads.
            using var defaults = OnnxClassifierEngine.Create(loaded, new ServingOptions { ExecutionProvider = serving.ExecutionProvider, IntraOpThreads = 0, IdleIntraOpThreads = 0, IntraOpSpinning = true }, NullLogger.Instance);
            foreach (var batching in new[] { false, true })
            {
                var options = Options.Create(serving with { ModelName = "bench", MicroBatching = batching });
                await using var host = new ModelHost(registry, options, NullLogger<ModelHost>.Instance);
                await host.RefreshAsync(cancellationToken).ConfigureAwait(false);
                var pipeline = new ScanPipeline(host, options, NullLogger<ScanPipeline>.Instance);
                foreach (var concurrency in plan.Concurrencies)
                {
                    progress?.Report($"{preset}, concurrency {concurrency}, micro-batching {(batching ? "on" : "off")}");
                    var cell = new Cell(preset, scanSize, plan.ScanFormat, concurrency, batching);
                    rows.Add(await MeasureCellAsync(cell, pipeline, host, defaults, scans, plan.Seconds, cancellationToken).ConfigureAwait(false));
                }
            }
        }

        return rows;
    }

    /// <summary>
    /// One cell: after a warm-up, rounds of three equal slices (pipeline, bare ONNX Runtime with the serving settings,
    /// bare with its defaults). This machine's speed drifts by tens of percent within seconds, so the fraction reported
    /// is the median of the rounds' own fractions, each taken between measurements a second apart, against whichever
    /// bare setting was faster over the whole cell.
    /// </summary>
    /// <remarks>
    /// Not against the faster bare slice of each round: on a VM whose speed flips between slices, the larger of two noisy
    /// figures overstates both, and the pipeline would be compared with the luckier of two draws every round.
    /// </remarks>
    private static async Task<ServeBenchmarkRow> MeasureCellAsync(
        Cell cell, ScanPipeline pipeline, ModelHost host, OnnxClassifierEngine defaults, byte[][] scans, double seconds, CancellationToken cancellationToken)
    {
        var (concurrency, batching) = (cell.Concurrency, cell.MicroBatching);
        // A server runs for hours: measure after the runtime's tiered JIT has optimised decoding and preprocessing. Hot
        // methods pass through an instrumented tier (dynamic PGO) first, and a short warm-up left the first cell of a run
        // slower than later ones, so the first warm-up of the process is longer.
        var warmUp = Interlocked.Exchange(ref _warmedUp, 1) == 0 ? FirstWarmUp : WarmUp;
        var beforeWarmUp = host.Current!.BatchStatistics;
        await RunPipelineAsync(pipeline, scans, concurrency, warmUp, null, null, cancellationToken).ConfigureAwait(false);
        var afterWarmUp = host.Current!.BatchStatistics;
        var bareBatch = batching ? Math.Max(1, (int)Math.Round(MeanBatch(beforeWarmUp, afterWarmUp))) : 1;
        // Bare ONNX Runtime twice: with the pipeline's session settings, and with ONNX Runtime's defaults (spinning
        // threads), so that the serving settings cannot flatter the comparison. Each at the batch the pipeline formed.
        var engine = host.Current!.Engine;
        var input = BareInput(engine, bareBatch);
        RunBare(engine, input, bareBatch, WarmUp.TotalSeconds);
        RunBare(defaults, input, bareBatch, WarmUp.TotalSeconds);

        var rounds = Math.Max(3, (int)Math.Round(seconds / RoundSeconds));
        var slice = TimeSpan.FromSeconds(seconds / rounds);
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var timings = new System.Collections.Concurrent.ConcurrentBag<StageTimings>();
        var before = host.Current!.BatchStatistics;
        var rates = new List<(double Pipeline, double Bare, double Defaults)>(rounds);
        var (scansDone, pipelineSeconds, bareImages, bareSeconds, defaultImages, defaultSeconds) = (0, 0.0, 0, 0.0, 0, 0.0);
        for (var round = 0; round < rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await SettleAsync(cancellationToken).ConfigureAwait(false);
            var (done, elapsed) = await RunPipelineAsync(pipeline, scans, concurrency, slice, latencies, timings, cancellationToken).ConfigureAwait(false);
            await SettleAsync(cancellationToken).ConfigureAwait(false);
            var (bare, bareElapsed) = RunBare(engine, input, bareBatch, slice.TotalSeconds);
            await SettleAsync(cancellationToken).ConfigureAwait(false);
            var (bareDefault, defaultElapsed) = RunBare(defaults, input, bareBatch, slice.TotalSeconds);
            rates.Add((done / elapsed, bare / bareElapsed, bareDefault / defaultElapsed));
            (scansDone, pipelineSeconds) = (scansDone + done, pipelineSeconds + elapsed);
            (bareImages, bareSeconds, defaultImages, defaultSeconds) = (bareImages + bare, bareSeconds + bareElapsed, defaultImages + bareDefault, defaultSeconds + defaultElapsed);
        }

        var defaultsFaster = defaultImages / defaultSeconds > bareImages / bareSeconds;
        var fractions = rates.Select(r => r.Pipeline / (defaultsFaster ? r.Defaults : r.Bare)).ToList();
        var sliceFraction = Median(fractions);
        IReadOnlyList<double>? paired = null;
        if (concurrency == 1 && LoneRequestsRunOnDefaults(engine))
        {
            await SettleAsync(cancellationToken).ConfigureAwait(false);
            paired = await MeasurePairedAsync(pipeline, engine, scans, pipelineSeconds / scansDone, seconds, cancellationToken).ConfigureAwait(false);
        }

        var sorted = latencies.Order().ToArray();
        var mean = new StageTimings
        {
            Read = timings.Average(t => t.Read),
            Decode = timings.Average(t => t.Decode),
            Preprocess = timings.Average(t => t.Preprocess),
            Queue = timings.Average(t => t.Queue),
            Inference = timings.Average(t => t.Inference),
            Total = timings.Average(t => t.Total),
        };
        return new ServeBenchmarkRow(
            cell.Model,
            cell.ScanSize,
            SynthFormatNames.Name(cell.ScanFormat),
            concurrency,
            batching,
            scansDone / pipelineSeconds,
            Percentile(sorted, 0.5),
            Percentile(sorted, 0.95),
            MeanBatch(before, host.Current!.BatchStatistics),
            bareBatch,
            bareImages / bareSeconds,
            defaultImages / defaultSeconds,
            mean,
            engine.ExecutionProvider,
            engine.Threads,
            fractions,
            sliceFraction,
            paired,
            paired is null ? sliceFraction : Median(paired));
    }

    private static double Median(IReadOnlyList<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>True when a request that is alone runs on a session with ONNX Runtime's default threads and spinning, as the automatic CPU profile's idle session does.</summary>
    private static bool LoneRequestsRunOnDefaults(OnnxClassifierEngine engine) => engine.HasIdleSession && engine.Threads.IdleIntraOpThreads == 0;

    /// <summary>
    /// At concurrency 1: chunks of about 50 ms of pipeline requests alternating with as many bare runs on the session
    /// that serves them (the idle session, which has ONNX Runtime's default settings); the fractions of bare per chunk pair.
    /// </summary>
    /// <remarks>
    /// A lone request's overhead is a few percent of a small model's run, less than a VM's noise between slices a second
    /// apart (docs/serving.md, "Measurements behind the defaults"). Chunks 50 ms apart see the
    /// same machine, and runs on the same session leave no other session's spinning threads behind, so the pairs need
    /// no pause between them.
    /// </remarks>
    private static async Task<IReadOnlyList<double>> MeasurePairedAsync(
        ScanPipeline pipeline, OnnxClassifierEngine engine, byte[][] scans, double secondsPerRequest, double seconds, CancellationToken cancellationToken)
    {
        var chunk = Math.Max(1, (int)(0.05 / secondsPerRequest));
        var input = BareInput(engine, 1);
        var fractions = new List<double>();
        var clock = Stopwatch.StartNew();
        var n = 0;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < chunk; i++)
            {
                await pipeline.ProcessAsync(ScanInput.FromBytes("bench", $"paired-{n}", scans[n++ % scans.Length]), cancellationToken).ConfigureAwait(false);
            }

            var pipelineSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            started = Stopwatch.GetTimestamp();
            for (var i = 0; i < chunk; i++)
            {
                engine.Run(input, 1, whileIdle: true);
            }

            fractions.Add(Stopwatch.GetElapsedTime(started).TotalSeconds / pipelineSeconds);
        }
        while (clock.Elapsed.TotalSeconds < seconds || fractions.Count < 3);

        return fractions;
    }

    /// <summary>Waits until the intra-op threads of the slice before have stopped spinning.</summary>
    /// <remarks>
    /// ONNX Runtime's spinning threads keep a core busy for tens of milliseconds after their session's last run. Without
    /// a pause, whichever slice came next shared its cores with them: the pipeline after bare ONNX
    /// Runtime's defaults and the serving-settings bare run after the pipeline's idle session, but never the defaults
    /// run, which follows a session without spinning threads. Every slice now starts on quiet cores.
    /// </remarks>
    private static Task SettleAsync(CancellationToken cancellationToken) => Task.Delay(SettleTime, cancellationToken);

    private static double MeanBatch((long Batches, long Images) before, (long Batches, long Images) after) =>
        after.Batches > before.Batches ? (double)(after.Images - before.Images) / (after.Batches - before.Batches) : 1;

    /// <summary>Closed loops of <paramref name="concurrency"/> requests for <paramref name="duration"/>: scans done and seconds until the last finished.</summary>
    private static async Task<(int Done, double Seconds)> RunPipelineAsync(
        ScanPipeline pipeline,
        byte[][] scans,
        int concurrency,
        TimeSpan duration,
        System.Collections.Concurrent.ConcurrentBag<double>? latencies,
        System.Collections.Concurrent.ConcurrentBag<StageTimings>? timings,
        CancellationToken cancellationToken)
    {
        var done = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(
            async () =>
            {
                var n = w;
                // Every worker measures at least one request, however late it starts on a busy machine.
                do
                {
                    var started = Stopwatch.GetTimestamp();
                    var outcome = await pipeline.ProcessAsync(ScanInput.FromBytes("bench", $"{w}-{n}", scans[n++ % scans.Length]), cancellationToken).ConfigureAwait(false);
                    latencies?.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (outcome.Result?.Timings is { } stages)
                    {
                        timings?.Add(stages);
                    }

                    Interlocked.Increment(ref done);
                }
                while (clock.Elapsed < duration);
            },
            cancellationToken)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        return (done, clock.Elapsed.TotalSeconds);
    }

    private static float[] BareInput(OnnxClassifierEngine engine, int batch)
    {
        var input = new float[batch * engine.ImageValues];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (i % 97) / 97f;
        }

        return input;
    }

    /// <summary>Back-to-back runs of one preprocessed batch for <paramref name="seconds"/>: images done and seconds taken.</summary>
    private static (int Images, double Seconds) RunBare(OnnxClassifierEngine engine, float[] input, int batch, double seconds)
    {
        var images = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            engine.Run(input, batch);
            images += batch;
        }
        while (clock.Elapsed.TotalSeconds < seconds);

        return (images, clock.Elapsed.TotalSeconds);
    }

    private static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : Evaluation.Bootstrap.Percentile(sorted, q);

    /// <summary>A B-mode phantom of the synthetic dataset in a scan format: it compresses and filters like a real scan, unlike noise.</summary>
    private sealed record Cell(string Model, int ScanSize, SynthFormat ScanFormat, int Concurrency, bool MicroBatching);

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("glcmmae-bench-serve-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

/// <summary>What <c>bench serve</c> measures: presets, concurrencies, seconds per cell, the side of the square scans (0 = the model's resize size) and their file format.</summary>
internal sealed record ServeBenchmarkPlan(IReadOnlyList<string> Presets, IReadOnlyList<int> Concurrencies, double Seconds, int ScanSize = 0, SynthFormat ScanFormat = SynthFormat.Png);

/// <summary>One preset x concurrency x batching measurement, with bare ONNX Runtime at the matching batch size; the fraction of bare (target at least 0.9) is the median of the paired chunks' fractions at concurrency 1 where they were measured, else of the rounds' fractions.</summary>
internal sealed record ServeBenchmarkRow(
    string Model,
    int ScanSize,
    string ScanFormat,
    int Concurrency,
    bool MicroBatching,
    double ScansPerSecond,
    double P50Milliseconds,
    double P95Milliseconds,
    double MeanBatch,
    int BareBatch,
    double BareImagesPerSecond,
    double BareDefaultsImagesPerSecond,
    StageTimings MeanStages,
    string ExecutionProvider,
    ServingThreads Threads,
    IReadOnlyList<double> RoundFractions,
    double SliceFraction,
    IReadOnlyList<double>? PairedFractions,
    double FractionOfBare);
