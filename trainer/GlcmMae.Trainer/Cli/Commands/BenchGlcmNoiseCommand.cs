using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GlcmMae.Trainer.Benchmarks;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae bench glcm-noise</c>: how much of the GLCM term between two patches is sampling noise, per bin count.</summary>
internal static class BenchGlcmNoiseCommand
{
    public static Command Create()
    {
        var bins = new Option<string>("--bins") { Description = "Bin counts K to measure, comma-separated.", DefaultValueFactory = _ => "256,64,16,8" };
        var patchSize = new Option<int>("--patch-size") { Description = "Patch side in pixels (the model's patch; the method's is 16).", DefaultValueFactory = _ => 16 };
        var imageSize = new Option<int>("--image-size") { Description = "Side of the texture images the patches come from.", DefaultValueFactory = _ => 128 };
        var pooled = new Option<int>("--pooled") { Description = "Patches pooled into one GLCM per sample, as --glcm-region image pools an image's masked patches (1: one patch, the method).", DefaultValueFactory = _ => 1 };
        var pairs = new Option<int>("--pairs") { Description = "Patch pairs of each kind.", DefaultValueFactory = _ => 400 };
        var seed = new Option<long>("--seed") { Description = "Seed of the generated textures.", DefaultValueFactory = _ => 1 };
        var json = CommonOptions.Json();
        var command = new Command("glcm-noise", Strings.BenchGlcmNoiseDescription) { bins, patchSize, imageSize, pooled, pairs, seed, json };
        command.SetAction(UserErrors.Handle((parseResult, cancellationToken) =>
        {
            var binCounts = ParseBins(parseResult.GetRequiredValue(bins));
            var rows = GlcmNoiseBenchmark.Run(binCounts, Math.Max(4, parseResult.GetValue(patchSize)), parseResult.GetValue(imageSize), Math.Max(10, parseResult.GetValue(pairs)), parseResult.GetValue(seed), parseResult.GetValue(pooled));
            if (parseResult.GetValue(json))
            {
                parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                return Task.FromResult(0);
            }

            var console = ConsoleOutput.Create(parseResult);
            var table = new Table().Border(TableBorder.Rounded).AddColumns("bins", "same image", "same class", "other class", "other / same image", "AUROC class");
            foreach (var r in rows)
            {
                table.AddRow(
                    $"{r.Bins}",
                    r.SameImage.ToString("G3", CultureInfo.InvariantCulture),
                    r.SameClass.ToString("G3", CultureInfo.InvariantCulture),
                    r.OtherClass.ToString("G3", CultureInfo.InvariantCulture),
                    (r.OtherClass / r.SameImage).ToString("F2", CultureInfo.InvariantCulture),
                    r.ClassAuroc.ToString("F3", CultureInfo.InvariantCulture));
            }

            console.Write(table);
            console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"Mean GLCM term (pixel-normalised: the method's value at 256 bins and 16 px patches) between samples of {rows[0].Pooled} pooled {rows[0].PatchSize} px patches of the texture family, {rows[0].Pairs} pairs each. AUROC class: how well the term tells two classes from one (0.5: noise only).")));
            return Task.FromResult(0);
        }));
        return command;
    }

    private static int[] ParseBins(string text)
    {
        var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var bins = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (!int.TryParse(values[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out bins[i]) || bins[i] < 2)
            {
                throw new ArgumentException($"--bins expects whole numbers of at least 2, comma-separated (e.g. 256,16), not '{text}'.");
            }
        }

        return bins.Length > 0 ? bins : throw new ArgumentException("--bins needs at least one bin count.");
    }
}
