using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Finetuning;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae evaluate</c>: figures with bootstrap intervals, metrics.json and report.html for a classifier.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Fine-tuning run folder or its model/ folder.", Required = true };
        var data = new Option<string?>("--data") { Description = "Evaluate on this labelled dataset instead of the run's own split." };
        var split = new Option<string>("--split") { Description = "The run's split to evaluate: test (default), val or train.", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "val", "train");
        var output = new Option<string?>("--output") { Description = "Report folder (default: evaluation-<split> in the run folder)." };
        var positive = new Option<string?>("--positive") { Description = "Class for binary AUROC, sensitivity and specificity (e.g. malignant)." };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for confidence intervals (0 = none).", DefaultValueFactory = _ => 1000 };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var images = CommonOptions.ReportImages();
        var command = new Command("evaluate", Strings.EvaluateDescription) { model, data, split, output, positive, bootstrap, device, images, threads, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            TorchEnvironment.ApplyThreads(parseResult.GetValue(threads));
            var (summary, folder) = await ClassifierEvaluation.RunAsync(
                parseResult.GetRequiredValue(model),
                parseResult.GetValue(data),
                SplitNames.Parse(parseResult.GetRequiredValue(split)),
                parseResult.GetValue(output),
                parseResult.GetValue(positive),
                Math.Max(0, parseResult.GetValue(bootstrap)),
                parseResult.GetRequiredValue(device),
                parseResult.GetValue(images),
                cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(summary, Checkpoint.JsonOptions)).ConfigureAwait(false);
                return 0;
            }

            var console = ConsoleOutput.Create(parseResult);
            var table = new Table().AddColumns("figure", "value", "95% CI");
            foreach (var (name, ci) in summary.Intervals)
            {
                table.AddRow(name, ci.Estimate.ToString("F3", CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"{ci.Lower:F3} - {ci.Upper:F3}"));
            }

            console.MarkupLine(Markup.Escape($"{summary.Metrics.Count} images ({summary.EvaluatedOn})"));
            console.Write(table);
            console.MarkupLine(Markup.Escape($"Report: {Path.Combine(folder, "report.html")}"));
            return 0;
        }));
        return command;
    }
}
