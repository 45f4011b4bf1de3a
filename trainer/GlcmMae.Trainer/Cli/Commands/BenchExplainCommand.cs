using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Benchmarks.Explain;
using GlcmMae.Trainer.Registry;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae bench explain</c>: the pointing game of the served explanations on phantoms with known lesions.</summary>
internal static class BenchExplainCommand
{
    public static Command Create()
    {
        var name = CommonOptions.ModelName();
        var version = new Option<string?>("--version") { Description = "Version to measure (default: the serving one)." };
        var store = CommonOptions.Store();
        var root = CommonOptions.StoreRoot();
        var scans = new Option<int>("--scans") { Description = "Phantoms to serve (the classes in turn).", DefaultValueFactory = _ => 60 };
        var scanSize = new Option<int?>("--scan-size") { Description = "Side of the phantoms (default: the model's resize size)." };
        var lesionScale = new Option<double>("--lesion-scale") { Description = "Lesion size factor (the quickstart trains on 2).", DefaultValueFactory = _ => 2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the phantoms.", DefaultValueFactory = _ => 11 };
        var json = CommonOptions.Json();
        var command = new Command("explain", Strings.BenchExplainDescription) { name, version, store, root, scans, scanSize, lesionScale, seed, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var modelName = parseResult.GetRequiredValue(name);
            var (model, chosen) = await ModelStores.LoadAsync(parseResult.GetRequiredValue(store), parseResult.GetRequiredValue(root), modelName, parseResult.GetValue(version), cancellationToken).ConfigureAwait(false);
            var size = parseResult.GetValue(scanSize) ?? model.Manifest.ReadPreprocessing().ResizeShorterSide;
            var result = await PointingGame.RunAsync(model, Math.Max(1, parseResult.GetValue(scans)), Math.Clamp(size, 16, 4096), parseResult.GetValue(lesionScale), parseResult.GetValue(seed), cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(new { Model = modelName, Version = chosen, Result = result }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase })).ConfigureAwait(false);
                return 0;
            }

            ConsoleOutput.Create(parseResult).MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{modelName} {chosen}: the occlusion map's peak fell inside the lesion on {result.Hits} of {result.Explained} explained phantoms ({result.PointingAccuracy:P1}); a random peak would hit {result.RandomBaseline:P1} (the lesion's share of the model's input). {result.MeanMilliseconds:F1} ms per explanation on the CPU; {result.ScanSize} x {result.ScanSize} phantoms, lesion scale {result.LesionScale}.")));
            return 0;
        }));
        return command;
    }
}
