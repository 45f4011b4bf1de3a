using System.CommandLine;
using System.Text.Json;
using GlcmMae.Trainer.Benchmarks;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Torch;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae bench ...</c>: performance measurements (each subcommand one area).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", Strings.BenchDescription);
        command.Subcommands.Add(BenchDecodeCommand.Create());
        command.Subcommands.Add(TrainStep());
        command.Subcommands.Add(BenchSslCommand.Create());
        command.Subcommands.Add(Export());
        command.Subcommands.Add(Serve());
        command.Subcommands.Add(BenchPipelineCommand.Create());
        command.Subcommands.Add(BenchOodCommand.Create());
        command.Subcommands.Add(BenchExplainCommand.Create());
        command.Subcommands.Add(BenchFuzzCommand.Create());
        command.Subcommands.Add(BenchGlcmNoiseCommand.Create());
        return command;
    }

    private static Command Export()
    {
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        var models = new Option<string>("--models") { Description = "Presets to measure, comma-separated.", DefaultValueFactory = _ => "tiny,base" };
        var batches = new Option<string>("--batches") { Description = "Batch sizes, comma-separated.", DefaultValueFactory = _ => "1,8,32" };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per batch (median reported).", DefaultValueFactory = _ => 5 };
        var command = new Command("export", "ONNX export time and CPU latency of ONNX Runtime next to the TorchSharp forward, per preset and batch size.") { models, batches, repeats, threads, json };
        command.SetAction(UserErrors.Handle((parseResult, cancellationToken) =>
        {
            TorchEnvironment.ApplyThreads(parseResult.GetValue(threads));
            var presets = parseResult.GetRequiredValue(models).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var sizes = parseResult.GetRequiredValue(batches).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(b => int.Parse(b, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var console = ConsoleOutput.Create(parseResult);
            IReadOnlyList<ExportBenchmarkRow>? rows = null;
            if (parseResult.GetValue(json))
            {
                rows = ExportBenchmark.Run(presets, sizes, parseResult.GetValue(repeats), null, cancellationToken);
                parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                return Task.FromResult(0);
            }

            console.Status().Start("measuring", context =>
                rows = ExportBenchmark.Run(presets, sizes, parseResult.GetValue(repeats), new Progress<string>(what => context.Status(Markup.Escape(what))), cancellationToken));
            var table = new Table().Border(TableBorder.Rounded).AddColumns("model", "batch", "export s", "ONNX MB", "ONNX Runtime ms", "TorchSharp ms", "TorchSharp / ORT");
            foreach (var row in rows!)
            {
                table.AddRow(row.Model, $"{row.Batch}", $"{row.ExportSeconds:F2}", $"{row.OnnxBytes / 1e6:F1}", $"{row.OnnxRuntimeMilliseconds:F1}", $"{row.TorchSharpMilliseconds:F1}", $"{row.Speedup:F2}x");
            }

            console.Write(table);
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command Serve()
    {
        var json = CommonOptions.Json();
        var models = new Option<string>("--models") { Description = "Presets to measure, comma-separated.", DefaultValueFactory = _ => "tiny,base" };
        var concurrency = new Option<string>("--concurrency") { Description = "Concurrent requests, comma-separated.", DefaultValueFactory = _ => "1,8,32" };
        var seconds = new Option<double>("--seconds") { Description = "Measuring window per combination.", DefaultValueFactory = _ => 5 };
        var maxBatch = new Option<int?>("--max-batch") { Description = $"Largest micro-batch (Inference:MaxBatchSize; unset = automatic: {GlcmMae.Shared.Inference.ServingThreads.GpuMaxBatchSize} on a GPU, {GlcmMae.Shared.Inference.ServingThreads.CpuMaxBatchSize} on a CPU)." };
        var maxDelay = new Option<double>("--max-delay-ms") { Description = "Micro-batch window (0 = greedy: what queued while the last batch ran).", DefaultValueFactory = _ => 0 };
        var spinning = new Option<bool>("--spinning") { Description = "Serve with ONNX Runtime's intra-op threads spinning (Inference:IntraOpSpinning)." };
        var threads = new Option<int?>("--intra-op-threads") { Description = "ONNX Runtime intra-op threads for serving (Inference:IntraOpThreads; unset = automatic, 0 = its default)." };
        var idleThreads = new Option<int?>("--idle-intra-op-threads") { Description = "Intra-op threads of a second session for a request that is the only one in progress (Inference:IdleIntraOpThreads; unset = automatic: ONNX Runtime's default where a second session fits, 0 = none)." };
        var scanSize = new Option<int>("--scan-size") { Description = "Side of the square phantom scans served, in pixels (0 = the model's resize size; real scans are larger and take longer to decode)." };
        var scanFormat = new Option<string>("--scan-format") { Description = "File format of the phantom scans served: png, dicom-us (8-bit), dicom-us-rgb or dicom-ct (16-bit).", DefaultValueFactory = _ => "png" };
        scanFormat.AcceptOnlyFromAmong(Synthesis.SynthFormatNames.All);
        scanSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 4096)
            {
                result.AddError("--scan-size must be between 0 (the model's resize size) and 4096 pixels.");
            }
        });
        maxBatch.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--max-batch must be at least 1.");
            }
        });
        var workers = new Option<int?>("--batch-workers") { Description = "Micro-batches run at once (Inference:BatchWorkers; unset = automatic)." };
        var command = new Command("serve", "Serving pipeline throughput and p50/p95 latency per preset and concurrency, with and without micro-batching, next to bare ONNX Runtime at the same batch size.") { models, concurrency, seconds, scanSize, scanFormat, maxBatch, maxDelay, spinning, threads, idleThreads, workers, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var presets = parseResult.GetRequiredValue(models).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var levels = parseResult.GetRequiredValue(concurrency).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var console = ConsoleOutput.Create(parseResult);
            var serving = new GlcmMae.Shared.Inference.ServingOptions
            {
                ModelName = "bench",
                MaxBatchSize = parseResult.GetValue(maxBatch),
                MaxBatchDelayMilliseconds = parseResult.GetValue(maxDelay),
                IntraOpSpinning = parseResult.GetValue(spinning),
                IntraOpThreads = parseResult.GetValue(threads),
                IdleIntraOpThreads = parseResult.GetValue(idleThreads),
                BatchWorkers = parseResult.GetValue(workers),
            };
            var plan = new ServeBenchmarkPlan(presets, levels, parseResult.GetValue(seconds), parseResult.GetValue(scanSize), Synthesis.SynthFormatNames.Parse(parseResult.GetRequiredValue(scanFormat)));
            IReadOnlyList<ServeBenchmarkRow> rows;
            if (parseResult.GetValue(json))
            {
                rows = await ServeBenchmark.RunAsync(plan, serving, null, cancellationToken).ConfigureAwait(false);
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals })).ConfigureAwait(false);
                return 0;
            }

            rows = await ServeBenchmark.RunAsync(plan, serving, new Progress<string>(what => console.MarkupLine(Markup.Escape("measuring " + what))), cancellationToken).ConfigureAwait(false);
            var table = new Table().Border(TableBorder.Rounded).AddColumns("model", "concurrency", "micro-batching", "scans/s", "p50 ms", "p95 ms", "mean batch", "bare ORT img/s (batch)", "bare, ORT defaults", "pipeline / faster bare", "rounds' median");
            foreach (var row in rows)
            {
                table.AddRow(row.Model, $"{row.Concurrency}", row.MicroBatching ? "on" : "off", $"{row.ScansPerSecond:F1}", $"{row.P50Milliseconds:F1}", $"{row.P95Milliseconds:F1}", $"{row.MeanBatch:F1}", $"{row.BareImagesPerSecond:F1} ({row.BareBatch})", $"{row.BareDefaultsImagesPerSecond:F1}", $"{row.FractionOfBare:P0}{(row.PairedFractions is null ? string.Empty : " (paired)")}", $"{row.SliceFraction:P0}");
            }

            console.Write(table);
            var stages = new Table().Border(TableBorder.Rounded).Title("mean milliseconds per scan, by stage")
                .AddColumns("model", "concurrency", "micro-batching", "read", "decode", "preprocess", "queue", "inference (batch)", "total");
            foreach (var row in rows)
            {
                var t = row.MeanStages;
                stages.AddRow(row.Model, $"{row.Concurrency}", row.MicroBatching ? "on" : "off", $"{t.Read:F2}", $"{t.Decode:F2}", $"{t.Preprocess:F2}", $"{t.Queue:F2}", $"{t.Inference:F2}", $"{t.Total:F2}");
            }

            console.Write(stages);
            console.MarkupLine(Markup.Escape($"Scans: {string.Join(", ", rows.Select(r => $"{r.Model} {r.ScanSize}x{r.ScanSize} {r.ScanFormat}").Distinct())}. Execution provider: {rows.FirstOrDefault()?.ExecutionProvider}. Threads: {string.Join("; ", rows.Select(r => r.Model + " " + r.Threads.Describe()).Distinct())}. Target: pipeline at least 90% of bare ONNX Runtime at the same batch size (the faster of the two bare figures)."));
            return 0;
        }));
        return command;
    }

    private static Command TrainStep()
    {
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        var model = new Option<string>("--model") { Description = Strings.ModelDescription, DefaultValueFactory = _ => "tiny" };
        model.AcceptOnlyFromAmong([.. ModelPresets.Names]);
        var batch = new Option<int>("--batch") { Description = Strings.BatchDescription, DefaultValueFactory = _ => 32 };
        var bins = new Option<int>("--bins") { Description = Strings.BinsDescription, DefaultValueFactory = _ => 256 };
        var steps = new Option<int>("--steps") { Description = Strings.BenchStepsDescription, DefaultValueFactory = _ => new TrainStepBenchmarkOptions().Steps };
        var device = CommonOptions.Device();
        var skipDirect = new Option<bool>("--skip-direct") { Description = "Skip the direct (published) GLCM form: no memory comparison, but seconds instead of minutes." };
        var command = new Command("train-step", Strings.BenchTrainStepDescription) { model, batch, bins, steps, device, skipDirect, threads, json };
        command.SetAction(UserErrors.Handle((parseResult, cancellationToken) =>
        {
            var console = ConsoleOutput.Create(parseResult);
            TorchEnvironment.ApplyThreads(parseResult.GetValue(threads));
            var options = new TrainStepBenchmarkOptions
            {
                Model = parseResult.GetValue(model)!,
                Batch = Math.Max(1, parseResult.GetValue(batch)),
                Bins = parseResult.GetValue(bins),
                Steps = Math.Max(1, parseResult.GetValue(steps)),
                Device = TorchEnvironment.ResolveDevice(parseResult.GetValue(device)),
                SkipDirect = parseResult.GetValue(skipDirect),
            };
            TrainStepBenchmarkResult? result = null;
            if (parseResult.GetValue(json))
            {
                result = TrainStepBenchmark.Run(options, cancellationToken: cancellationToken);
                parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                return Task.FromResult(0);
            }

            console.Status().Start("measuring", context =>
                result = TrainStepBenchmark.Run(options, new Progress<string>(what => context.Status(Markup.Escape(what))), cancellationToken));
            var table = new Table().Border(TableBorder.Rounded).AddColumns("loss", "ms/step", "images/s");
            foreach (var step in result!.Steps)
            {
                table.AddRow(Markup.Escape(step.Loss), $"{step.MillisecondsPerStep:F1}", $"{step.ImagesPerSecond:F0}");
            }

            console.Write(table);
            var terms = new Table().Border(TableBorder.Rounded).AddColumns("GLCM term (forward + backward)", "ms", "peak MiB");
            foreach (var term in result.GlcmTerm)
            {
                terms.AddRow(Markup.Escape(term.Formulation), $"{term.Milliseconds:F1}", term.PeakBytes is { } bytes ? $"{bytes / 1048576.0:F1}" : "n/a");
            }

            console.Write(terms);
            console.MarkupLine($"Model {result.Model}, batch {result.Batch}, K = {result.Bins}, {result.Device}, {result.Threads} threads.");
            var (lower, upper) = result.StepRatioQuartiles;
            console.MarkupLine($"GLCM-MAE step / MSE step: [bold]{result.StepRatio:F2}x[/] (median of {result.RoundRatios.Count} paired rounds, quartiles {lower:F2}-{upper:F2}; target at most 1.5x).");
            if (result.MemoryRatio is { } ratio)
            {
                console.MarkupLine($"GLCM term peak memory, published direct form / ours: [bold]{ratio:F1}x[/] (target at least 8x).");
            }

            return Task.FromResult(0);
        }));
        return command;
    }
}
