using System.CommandLine;
using System.Text.Json;
using GlcmMae.Trainer.Export;
using GlcmMae.Trainer.Registry;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae publish</c>: export (with parity), upload a new immutable version, promote it if it is not worse.</summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Fine-tuning run folder or its model/ folder.", Required = true };
        var name = CommonOptions.ModelName();
        var store = CommonOptions.Store();
        var root = CommonOptions.StoreRoot();
        var publishing = new PublishOptions();
        var safety = new SafetyCliOptions();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("publish", Strings.PublishDescription) { model, name, store, root, threads, json };
        foreach (var option in publishing.All.Concat(safety.All()))
        {
            command.Options.Add(option);
        }

        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            TorchEnvironment.ApplyThreads(parseResult.GetValue(threads));
            var source = parseResult.GetRequiredValue(model);
            var export = await ModelExporter.ExportAsync(source, Path.Combine(ExportCommand.RunFolder(source), "export"), parseResult.GetRequiredValue(name), safety.Read(parseResult), cancellationToken).ConfigureAwait(false);
            var registry = await ModelStores.OpenAsync(parseResult.GetRequiredValue(store), parseResult.GetRequiredValue(root), cancellationToken).ConfigureAwait(false);
            await using var events = ModelEventPublishers.Open(publishing.Events(parseResult), parseResult.GetRequiredValue(root));
            var result = await Publisher.PublishAsync(registry, export, publishing.Settings(parseResult, null), events.Publisher, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(result, Checkpoint.JsonOptions)).ConfigureAwait(false);
                return 0;
            }

            var console = ConsoleOutput.Create(parseResult);
            console.MarkupLine(Markup.Escape($"Published {result.Name} {result.Version} to {result.Store}."));
            console.MarkupLine(Markup.Escape(result.Promoted ? $"Promoted to current: {result.Reason}." : $"Not promoted: {result.Reason}."));
            return 0;
        }));
        return command;
    }
}
