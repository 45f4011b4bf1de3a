using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Models;
using GlcmMae.Trainer.Registry;
using GlcmMae.Trainer.Registry.ModelCards;
using GlcmMae.Trainer.Reports;
using GlcmMae.Trainer.Training;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae models list|show|history|promote|rollback</c>: the model registry.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", Strings.ModelsDescription);
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(History());
        command.Subcommands.Add(Promote());
        command.Subcommands.Add(Rollback());
        return command;
    }

    private static Command List()
    {
        var (store, root, json) = (CommonOptions.Store(), CommonOptions.StoreRoot(), CommonOptions.Json());
        var command = new Command("list", "Model names, their versions, and which is current.") { store, root, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var registry = await ModelStores.OpenAsync(parseResult.GetRequiredValue(store), parseResult.GetRequiredValue(root), cancellationToken).ConfigureAwait(false);
            var rows = new List<(string Name, string Version, bool Current, double? Metric)>();
            foreach (var name in await registry.ListNamesAsync(cancellationToken).ConfigureAwait(false))
            {
                var current = await registry.GetCurrentAsync(name, cancellationToken).ConfigureAwait(false);
                foreach (var version in await registry.ListVersionsAsync(name, cancellationToken).ConfigureAwait(false))
                {
                    var manifest = await registry.GetManifestAsync(name, version, cancellationToken).ConfigureAwait(false);
                    double? metric = manifest.Metrics.TryGetValue("test", out var test) && test.TryGetValue("balancedAccuracy", out var v) ? v : null;
                    rows.Add((name, version, current?.Current.Version == version, metric));
                }
            }

            if (parseResult.GetValue(json))
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(rows.Select(r => new { r.Name, r.Version, r.Current, testBalancedAccuracy = r.Metric }), Checkpoint.JsonOptions)).ConfigureAwait(false);
                return 0;
            }

            var table = new Table().AddColumns("name", "version", "current", "test balanced accuracy");
            foreach (var row in rows)
            {
                table.AddRow(Markup.Escape(row.Name), Markup.Escape(row.Version), row.Current ? "*" : string.Empty, row.Metric?.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
            }

            var console = ConsoleOutput.Create(parseResult);
            console.MarkupLine(Markup.Escape($"Registry {registry.Store.Location}"));
            console.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var (store, root, json) = (CommonOptions.Store(), CommonOptions.StoreRoot(), CommonOptions.Json());
        var name = new Argument<string>("name") { Description = "Model name." };
        var version = new Argument<string?>("version") { Description = "Version (default: the current one).", Arity = ArgumentArity.ZeroOrOne };
        var manifestOnly = new Option<bool>("--manifest") { Description = "Print the manifest (JSON) instead of the model card." };
        var command = new Command("show", "A version's model card (Markdown; --json for card.json), after verifying model.onnx against its SHA-256.") { name, version, store, root, manifestOnly, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var registry = await ModelStores.OpenAsync(parseResult.GetRequiredValue(store), parseResult.GetRequiredValue(root), cancellationToken).ConfigureAwait(false);
            var modelName = parseResult.GetRequiredValue(name);
            var chosen = parseResult.GetValue(version) ?? (await registry.GetCurrentAsync(modelName, cancellationToken).ConfigureAwait(false))?.Current.Version
                ?? throw new ModelRegistryException("NoCurrentVersion", $"{modelName} has no current version; name one (see glcmmae models list).");
            var loaded = await registry.LoadAsync(modelName, chosen, cancellationToken).ConfigureAwait(false);
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(manifestOnly))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(loaded.Manifest, ModelManifest.JsonOptions)).ConfigureAwait(false);
                return 0;
            }

            var file = parseResult.GetValue(json) ? ModelCard.JsonFile : ModelCard.MarkdownFile;
            var card = await registry.TryReadAttachmentAsync(modelName, chosen, file, cancellationToken).ConfigureAwait(false)
                ?? throw new ModelRegistryException("NoModelCard", $"{modelName} {chosen} has no model card (published before cards existed); see its manifest with --manifest.");
            await output.WriteAsync(Encoding.UTF8.GetString(card)).ConfigureAwait(false);
            await output.WriteLineAsync().ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command History()
    {
        var (store, root, json) = (CommonOptions.Store(), CommonOptions.StoreRoot(), CommonOptions.Json());
        var name = new Argument<string>("name") { Description = "Model name." };
        var command = new Command("history", "Every promotion, refusal and rollback of a model, with who decided, why, and the gate's figures.") { name, store, root, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var registry = await ModelStores.OpenAsync(parseResult.GetRequiredValue(store), parseResult.GetRequiredValue(root), cancellationToken).ConfigureAwait(false);
            var modelName = parseResult.GetRequiredValue(name);
            var current = (await registry.GetCurrentAsync(modelName, cancellationToken).ConfigureAwait(false))?.Current
                ?? throw new ModelRegistryException("NoCurrentVersion", $"{modelName} has no current version, so no history; see glcmmae models list.");
            if (parseResult.GetValue(json))
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(current, ModelManifest.JsonOptions)).ConfigureAwait(false);
                return 0;
            }

            var table = new Table().AddColumns("when (UTC)", "version", "decision", "by", "difference (CI)", "why");
            foreach (var record in current.History)
            {
                var c = record.Comparison;
                table.AddRow(
                    record.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    Markup.Escape(record.Version),
                    record.Decision.ToString(),
                    Markup.Escape(record.By),
                    c is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"{c.Metric} {SignedFigure.Format(c.Difference)} ({SignedFigure.Format(c.Lower)} to {SignedFigure.Format(c.Upper)})"),
                    // The gate's reasons open with the verdict; the figures are in the previous column and in --json.
                    Markup.Escape(record.Reason.Split(':')[0]));
            }

            var console = ConsoleOutput.Create(parseResult);
            console.MarkupLine(Markup.Escape($"{modelName}: serving {current.Version}"));
            console.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Promote()
    {
        var (store, root) = (CommonOptions.Store(), CommonOptions.StoreRoot());
        var name = new Argument<string>("name") { Description = "Model name." };
        var version = new Argument<string>("version") { Description = "Published version to serve." };
        var reason = new Option<string>("--reason") { Description = "Why (recorded in current.json's history and the model event).", DefaultValueFactory = _ => "promoted by hand" };
        var by = By();
        var events = CommonOptions.ModelEvents();
        var json = CommonOptions.Json();
        var command = new Command("promote", "Make a published version current by hand, overriding the publish gate (ETag-checked; a concurrent promotion makes this fail, not overwrite).") { name, version, reason, by, events, store, root, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var rootFolder = parseResult.GetRequiredValue(root);
            var registry = await ModelStores.OpenAsync(parseResult.GetRequiredValue(store), rootFolder, cancellationToken).ConfigureAwait(false);
            var modelName = parseResult.GetRequiredValue(name);
            var before = (await registry.GetCurrentAsync(modelName, cancellationToken).ConfigureAwait(false))?.Current;
            var current = await registry.PromoteAsync(modelName, parseResult.GetRequiredValue(version), new PromotionNote(parseResult.GetRequiredValue(reason), parseResult.GetRequiredValue(by)), cancellationToken).ConfigureAwait(false);
            if (before?.Version != current.Version)
            {
                await AnnounceAsync(parseResult.GetValue(events), rootFolder, ModelEvent.From(modelName, current.History[^1], current.Version, before?.Version), cancellationToken).ConfigureAwait(false);
            }

            await ReportCurrentAsync(parseResult, parseResult.GetValue(json), modelName, current.Version, before?.Version, current.Reason, $"{modelName} current: {current.Version}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Rollback()
    {
        var (store, root) = (CommonOptions.Store(), CommonOptions.StoreRoot());
        var name = new Argument<string>("name") { Description = "Model name." };
        var by = By();
        var events = CommonOptions.ModelEvents();
        var json = CommonOptions.Json();
        var command = new Command("rollback", "Serve the previously current version again.") { name, by, events, store, root, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var rootFolder = parseResult.GetRequiredValue(root);
            var registry = await ModelStores.OpenAsync(parseResult.GetRequiredValue(store), rootFolder, cancellationToken).ConfigureAwait(false);
            var modelName = parseResult.GetRequiredValue(name);
            var before = (await registry.GetCurrentAsync(modelName, cancellationToken).ConfigureAwait(false))?.Current;
            var current = await registry.RollbackAsync(modelName, parseResult.GetRequiredValue(by), cancellationToken).ConfigureAwait(false);
            await AnnounceAsync(parseResult.GetValue(events), rootFolder, ModelEvent.From(modelName, current.History[^1], current.Version, before?.Version), cancellationToken).ConfigureAwait(false);
            await ReportCurrentAsync(parseResult, parseResult.GetValue(json), modelName, current.Version, before?.Version, current.Reason, $"{modelName} current: {current.Version} ({current.Reason})").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>The outcome of a promotion or rollback: one line, or with --json one document.</summary>
    private static Task ReportCurrentAsync(ParseResult parseResult, bool json, string name, string current, string? previous, string? reason, string line) =>
        parseResult.InvocationConfiguration.Output.WriteLineAsync(json
            ? System.Text.Json.JsonSerializer.Serialize(new { Name = name, Current = current, Previous = previous, Reason = reason }, CliJson.Options)
            : line);

    private static Option<string> By() => new("--by")
    {
        Description = "Who decides (recorded in current.json's history and the model event; default: the signed-in user).",
        DefaultValueFactory = _ => Environment.UserName,
    };

    private static async Task AnnounceAsync(ModelEventTarget target, string root, ModelEvent modelEvent, CancellationToken cancellationToken)
    {
        await using var events = ModelEventPublishers.Open(target, root);
        if (events.Publisher is { } publisher)
        {
            await Publisher.AnnounceAsync(publisher, modelEvent, cancellationToken).ConfigureAwait(false);
        }
    }
}
