using System.CommandLine;
using System.Text.Json;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Trainer.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae classify FILE...</c>: the current model's verdict on local scans, as a table or JSON.</summary>
internal static class ClassifyCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "DICOM, PNG or JPEG files.", Arity = ArgumentArity.OneOrMore };
        var store = CommonOptions.Store();
        var root = CommonOptions.StoreRoot();
        var name = CommonOptions.ModelName();
        var device = new Option<ExecutionProviderChoice?>("--execution-provider") { Description = "Auto, Cuda or Cpu (default: Inference:ExecutionProvider, else Auto)." };
        var explain = new Option<bool>("--explain") { Description = "Also write an occlusion heatmap over the model's input for each labelled scan, as <root>/results/<result id>.png (named by the result id, never by the file)." };
        var json = CommonOptions.Json();
        var command = new Command("classify", Strings.ClassifyDescription) { files, store, root, name, device, explain, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            await using var services = ServingEnvironment.Create(
                parseResult.GetRequiredValue(store), parseResult.GetRequiredValue(root), parseResult.GetRequiredValue(name), OutcomeTransport.File, parseResult.GetValue(device), false, LogLevel.Warning, parseResult.GetValue(explain));
            var pipeline = services.GetRequiredService<ScanPipeline>();
            var outcomes = new List<ScanOutcome>();
            foreach (var file in parseResult.GetRequiredValue(files))
            {
                if (!File.Exists(file))
                {
                    throw new FileNotFoundException($"'{file}' does not exist.", file);
                }

                var full = Path.GetFullPath(file);
                var info = new FileInfo(full);
                var input = new ScanInput("local", Path.GetFileName(full), new Uri(full).AbsoluteUri, $"{info.LastWriteTimeUtc.Ticks:x}-{info.Length:x}", _ => Task.FromResult<Stream>(File.OpenRead(full)));
                var outcome = await pipeline.ProcessAsync(input, cancellationToken).ConfigureAwait(false);
                if (outcome is { Result: { } result, Explanation: { } explanation })
                {
                    var relative = $"results/{result.ResultId}.png";
                    var path = Path.Combine(parseResult.GetRequiredValue(root), relative);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    await File.WriteAllBytesAsync(path, explanation.Png, cancellationToken).ConfigureAwait(false);
                    outcome = outcome with { Result = result with { Explanation = relative } };
                }

                outcomes.Add(outcome);
            }

            if (parseResult.GetValue(json))
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(outcomes.Select(o => (object?)o.Result ?? o.Error), ContractJson.Options)).ConfigureAwait(false);
                return outcomes.All(o => o.Result is not null) ? 0 : 1;
            }

            var model = services.GetRequiredService<ModelHost>().Current!;
            var table = new Table().AddColumns("scan", "prediction", "probability", "ms", "detail");
            foreach (var outcome in outcomes)
            {
                table.AddRow([.. OutcomeRow.From(outcome).Cells().Select(Markup.Escape)]);
            }

            var console = ConsoleOutput.Create(parseResult);
            console.MarkupLine(Markup.Escape($"{model.Manifest.Name} {model.Manifest.Version} on {model.Engine.ExecutionProvider}"));
            console.Write(table);
            return outcomes.All(o => o.Result is not null) ? 0 : 1;
        }));
        return command;
    }
}
