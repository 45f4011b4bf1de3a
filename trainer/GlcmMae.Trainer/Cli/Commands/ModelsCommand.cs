using System.CommandLine;
using System.Text.Json;
using GlcmMae.Shared.Models;
using GlcmMae.Trainer.Registry;
using GlcmMae.Trainer.Training;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae models list|show|promote|rollback</c>: the model registry.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", Strings.ModelsDescription);
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
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
        var (store, root) = (CommonOptions.Store(), CommonOptions.StoreRoot());
        var name = new Argument<string>("name") { Description = "Model name." };
        var version = new Argument<string?>("version") { Description = "Version (default: the current one).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("show", "A version's manifest (verifies model.onnx against its SHA-256).") { name, version, store, root };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var registry = await ModelStores.OpenAsync(parseResult.GetRequiredValue(store), parseResult.GetRequiredValue(root), cancellationToken).ConfigureAwait(false);
            var modelName = parseResult.GetRequiredValue(name);
            var chosen = parseResult.GetValue(version) ?? (await registry.GetCurrentAsync(modelName, cancellationToken).ConfigureAwait(false))?.Current.Version
                ?? throw new ModelRegistryException("NoCurrentVersion", $"{modelName} has no current version; name one (see glcmmae models list).");
            var loaded = await registry.LoadAsync(modelName, chosen, cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(loaded.Manifest, ModelManifest.JsonOptions)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Promote()
    {
        var (store, root) = (CommonOptions.Store(), CommonOptions.StoreRoot());
        var name = new Argument<string>("name") { Description = "Model name." };
        var version = new Argument<string>("version") { Description = "Published version to serve." };
        var command = new Command("promote", "Make a published version current (ETag-checked; a concurrent promotion makes this fail, not overwrite).") { name, version, store, root };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var registry = await ModelStores.OpenAsync(parseResult.GetRequiredValue(store), parseResult.GetRequiredValue(root), cancellationToken).ConfigureAwait(false);
            var current = await registry.PromoteAsync(parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(version), "promoted by hand", cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync($"{parseResult.GetRequiredValue(name)} current: {current.Version}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Rollback()
    {
        var (store, root) = (CommonOptions.Store(), CommonOptions.StoreRoot());
        var name = new Argument<string>("name") { Description = "Model name." };
        var command = new Command("rollback", "Serve the previously current version again.") { name, store, root };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var registry = await ModelStores.OpenAsync(parseResult.GetRequiredValue(store), parseResult.GetRequiredValue(root), cancellationToken).ConfigureAwait(false);
            var current = await registry.RollbackAsync(parseResult.GetRequiredValue(name), cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync($"{parseResult.GetRequiredValue(name)} current: {current.Version} ({current.Reason})").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
