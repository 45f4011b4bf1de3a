using System.Text.Json;
using GlcmMae.Shared.Diagnostics;
using GlcmMae.Shared.Inference;
using GlcmMae.Trainer.Cli;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using Spectre.Console;
using TorchSharp;

namespace GlcmMae.Trainer.Cli.Quickstart;

/// <summary>Runs every stage of the pipeline that exists so far, in order, and reports each one.</summary>
/// <remarks>Stages are added here as they are built (imaging, pretraining, fine-tuning, export, serving).</remarks>
internal sealed class QuickstartRunner(IAnsiConsole console, TextWriter output)
{
    private const int SelfCheckSteps = 30;

    public async Task<int> RunAsync(QuickstartOptions options, CancellationToken cancellationToken)
    {
        using var activity = GlcmMaeTelemetry.ActivitySource.StartActivity("quickstart");
        if (options.WithAzurite && !Hosting.LocalAzurite.IsAvailable)
        {
            throw new GlcmMae.Shared.Storage.StorageNotConfiguredException(
                "--with-azurite needs Azurite: install it (npm install -g azurite), run npm ci in tests/, or set Storage:ConnectionString (GLCMMAE_Storage__ConnectionString) to a running one.");
        }

        if (options.Threads is { } threads)
        {
            torch.set_num_threads(threads);
        }

        RuntimeSelfCheckResult? check = null;
        if (options.Json)
        {
            check = RuntimeSelfCheck.Run(SelfCheckSteps, cancellationToken: cancellationToken);
        }
        else
        {
            console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask("runtime check: train a transformer block", maxValue: SelfCheckSteps);
                    check = RuntimeSelfCheck.Run(
                        SelfCheckSteps,
                        progress: new Progress<int>(step => task.Value = step),
                        cancellationToken: cancellationToken);
                    task.Value = SelfCheckSteps;
                });
        }

        var providers = ExecutionProviderProbe.Probe();
        var result = check!;
        var imaging = await ImagingStage.RunAsync(Path.Combine(options.Root, "quickstart"), cancellationToken).ConfigureAwait(false);
        var pretraining = await PretrainingStage.RunAsync(
            Path.Combine(options.Root, "quickstart"),
            options.Scale,
            options.Json ? NullPretrainObserver.Instance : new PretrainProgress(console, null, logEvery: 3),
            cancellationToken).ConfigureAwait(false);
        var serving = await ServingStage.RunAsync(
            options.Root,
            Path.Combine(options.Root, "quickstart"),
            pretraining[^1].Checkpoint!,
            options.Scale,
            options.Json ? GlcmMae.Trainer.Finetuning.NullFinetuneObserver.Instance : new FinetuneConsoleObserver(console, quiet: false),
            options.WithAzurite,
            cancellationToken).ConfigureAwait(false);
        if (options.Json)
        {
            var report = new
            {
                runtimeCheck = new
                {
                    device = result.Device,
                    firstLoss = result.Losses[0],
                    lastLoss = result.Losses[^1],
                    gradientsFinite = result.GradientsFinite,
                    passed = result.Passed,
                    elapsedMs = result.Elapsed.TotalMilliseconds,
                },
                pretraining = pretraining.Select(p => new { stage = p.Stage, steps = p.Steps, firstLoss = p.FirstLoss, lastLoss = p.LastLoss, checkpoint = p.Checkpoint, plots = p.Plots }),
                finetune = new { test = serving.Test, report = serving.Report },
                export = new { parity = serving.Parity },
                publish = serving.Published,
                serving = new { executionProvider = serving.ExecutionProvider, transport = serving.Transport, outcomes = serving.Outcomes, topics = serving.Topics },
                imaging = imaging.Select(i => new { file = i.File, transferSyntax = i.TransferSyntax, tensor = i.TensorShape, tensorMean = i.TensorMean, rendered = i.RenderedPng }),
                onnxRuntime = new
                {
                    version = ExecutionProviderProbe.RuntimeVersion,
                    providers = providers.Select(p => new { provider = p.Provider.ToString(), usable = p.IsUsable, detail = p.Detail }),
                },
            };
            output.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("stage").AddColumn("result");
            table.AddRow(
                "runtime check",
                $"{(result.Passed ? "[green]passed[/]" : "[red]failed[/]")}: {Markup.Escape(result.Device)}, loss {result.Losses[0]:F4} -> {result.Losses[^1]:F4} in {result.Elapsed.TotalSeconds:F1} s");
            foreach (var scan in imaging)
            {
                table.AddRow(
                    "imaging",
                    $"{Markup.Escape(Path.GetFileName(scan.File))} ({Markup.Escape(scan.TransferSyntax)}) -> tensor {Markup.Escape(scan.TensorShape)}, mean {scan.TensorMean:F3}; display {Markup.Escape(scan.RenderedPng)}");
            }

            foreach (var stage in pretraining)
            {
                table.AddRow(
                    $"pretrain {stage.Stage}",
                    Markup.Escape(FormattableString.Invariant($"tiny model, {stage.Steps} steps, loss {stage.FirstLoss:F4} -> {stage.LastLoss:F4}; {string.Join(", ", stage.Plots)}")));
            }

            if (serving.Test is { } test)
            {
                table.AddRow("fine-tune + evaluate", Markup.Escape(FormattableString.Invariant($"test: accuracy {test.Accuracy:F3}, balanced accuracy {test.BalancedAccuracy:F3}, macro AUROC {test.MacroAuroc:F3} ({test.Count} images); report {serving.Report}")));
            }

            table.AddRow("export", Markup.Escape(FormattableString.Invariant($"ONNX parity {(serving.Parity.Passed ? "passed" : "FAILED")}: max probability difference {serving.Parity.MaxAbsDifference:E1} over {serving.Parity.Cases.Count} cases")));
            table.AddRow("publish", Markup.Escape($"{serving.Published.Name} {serving.Published.Version}: {(serving.Published.Promoted ? "promoted" : "not promoted")} ({serving.Published.Reason})"));
            foreach (var row in serving.Outcomes)
            {
                table.AddRow($"serve ({Markup.Escape(serving.ExecutionProvider)}, {Markup.Escape(serving.Transport.Split(' ')[0].TrimEnd(':'))})", Markup.Escape(string.Join("  ", row.Cells().Where(c => c.Length > 0))));
            }

            foreach (var provider in providers)
            {
                table.AddRow(
                    $"onnxruntime {provider.Provider.ToString().ToLowerInvariant()}",
                    $"{(provider.IsUsable ? "usable" : "not usable")}: {Markup.Escape(provider.Detail)}");
            }

            console.Write(table);
        }

        return result.Passed && serving.Parity.Passed && serving.Outcomes.Count > 0 ? 0 : 1;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
