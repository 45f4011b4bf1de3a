using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GlcmMae.Trainer.Export;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae export</c>: ONNX from a fine-tuned classifier, with the parity proof, into a folder.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Fine-tuning run folder or its model/ folder.", Required = true };
        var output = new Option<string?>("--output") { Description = "Folder for model.onnx and manifest.json (default: <run>/export)." };
        var name = CommonOptions.ModelName();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var safety = new SafetyCliOptions();
        var command = new Command("export", Strings.ExportDescription) { model, output, name, threads, json };
        foreach (var option in safety.All())
        {
            command.Options.Add(option);
        }

        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            TorchEnvironment.ApplyThreads(parseResult.GetValue(threads));
            var source = parseResult.GetRequiredValue(model);
            var folder = parseResult.GetValue(output) ?? Path.Combine(RunFolder(source), "export");
            var result = await ModelExporter.ExportAsync(source, folder, parseResult.GetRequiredValue(name), safety.Read(parseResult), cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(new { result.Folder, result.Manifest.Version, result.Manifest.Sha256, result.Parity, result.ExportSeconds, result.Manifest.Safety, result.SafetyNote }, Checkpoint.JsonOptions)).ConfigureAwait(false);
                return 0;
            }

            var console = ConsoleOutput.Create(parseResult);
            console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"Exported {result.Manifest.Name} {result.Manifest.Version} (opset {result.Manifest.Opset}) to {result.OnnxPath} in {result.ExportSeconds:F2} s.")));
            foreach (var parityCase in result.Parity.Cases)
            {
                console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"  parity {parityCase.Inputs}: max |p_torch - p_onnx| = {parityCase.MaxAbsDifference:E2}, argmax {(parityCase.ArgmaxAgrees ? "agrees" : "DIFFERS")}")));
            }

            console.MarkupLine(Markup.Escape($"  safety: {result.SafetyNote}"));
            return 0;
        }));
        return command;
    }

    /// <summary>The fine-tuning run folder of a run or model path.</summary>
    internal static string RunFolder(string modelPath) =>
        File.Exists(Path.Combine(modelPath, "classifier.json")) ? Path.GetDirectoryName(Path.GetFullPath(modelPath))! : Path.GetFullPath(modelPath);
}
