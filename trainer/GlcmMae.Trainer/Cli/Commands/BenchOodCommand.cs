using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GlcmMae.Trainer.Benchmarks.Ood;
using GlcmMae.Trainer.Registry;
using GlcmMae.Trainer.Serving;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae bench ood</c>: abstention on in-distribution scans and on scans the model never saw the like of, and how the two scores separate them.</summary>
internal static class BenchOodCommand
{
    public static Command Create()
    {
        var scans = new Option<string[]>("--scans") { Description = "In-distribution scans the model did not train on (files or folders), e.g. the quickstart's held-out scans.", Required = true, AllowMultipleArgumentsPerToken = true };
        var name = CommonOptions.ModelName();
        var version = new Option<string?>("--version") { Description = "Version to measure (default: the serving one)." };
        var store = CommonOptions.Store();
        var root = CommonOptions.StoreRoot();
        var perFamily = new Option<int>("--per-family") { Description = "Scans generated per out-of-distribution family.", DefaultValueFactory = _ => 100 };
        var scanSize = new Option<int>("--scan-size") { Description = "Side of the generated scans, in pixels.", DefaultValueFactory = _ => 256 };
        var json = CommonOptions.Json();
        var command = new Command("ood", Strings.BenchOodDescription) { scans, name, version, store, root, perFamily, scanSize, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var modelName = parseResult.GetRequiredValue(name);
            var (model, chosen) = await ModelStores.LoadAsync(parseResult.GetRequiredValue(store), parseResult.GetRequiredValue(root), modelName, parseResult.GetValue(version), cancellationToken).ConfigureAwait(false);
            var files = ScanUploader.Expand(parseResult.GetRequiredValue(scans), string.Empty).Select(f => f.Path).ToList();
            var error = parseResult.InvocationConfiguration.Error;
            var (rows, rule) = await OodBenchmark.RunAsync(model, files, Math.Max(1, parseResult.GetValue(perFamily)), Math.Clamp(parseResult.GetValue(scanSize), 16, 4096), new LineProgress(error, "ood"), cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(new { Model = modelName, Version = chosen, Rule = rule, Rows = rows }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase })).ConfigureAwait(false);
                return 0;
            }

            var console = ConsoleOutput.Create(parseResult);
            var table = new Table().Border(TableBorder.Rounded).AddColumns("family", "scans", "refused", "abstained", "labelled", "abstention rate", "AUROC energy", "AUROC max-prob", "AUROC texture");
            foreach (var row in rows)
            {
                table.AddRow(Markup.Escape(row.Family), $"{row.Scans}", $"{row.Refused}", $"{row.Abstained}", $"{row.Labelled}", row.AbstentionRate.ToString("P1", CultureInfo.InvariantCulture), Figure(row.EnergyAuroc), Figure(row.MaxProbabilityAuroc), Figure(row.TextureDistanceAuroc));
            }

            console.Write(table);
            console.MarkupLine(Markup.Escape(rule is null
                ? $"{modelName} {chosen} has no abstention rule (no safety profile): it labels everything it can decode."
                : string.Create(CultureInfo.InvariantCulture, $"{modelName} {chosen} abstains above {rule.Score} {rule.Threshold:G4} (fitted to keep {rule.TargetKeepRate:P0} of validation scans). Refused: out of scope or undecodable, before any score. AUROC: the family against the in-distribution scans (1 = always scores higher).")));
            return 0;
        }));
        return command;
    }

    private static string Figure(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "-";
}
