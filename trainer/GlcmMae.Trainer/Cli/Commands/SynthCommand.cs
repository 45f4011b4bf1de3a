using System.CommandLine;
using GlcmMae.Trainer.Synthesis;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae synth</c>: a labelled ultrasound-like dataset whose classes differ only in lesion texture.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "Folder to write (class sub-folders and labels.csv).", Required = true };
        var count = new Option<int>("--count") { Description = "Images per class.", DefaultValueFactory = _ => 100 };
        var size = new Option<int>("--size") { Description = "Image side in pixels.", DefaultValueFactory = _ => 256 };
        var format = new Option<string>("--format") { Description = "png, dicom-us (8-bit MONOCHROME2), dicom-us-rgb or dicom-ct (16-bit with rescale to HU).", DefaultValueFactory = _ => "png" };
        format.AcceptOnlyFromAmong(SynthFormatNames.All);
        var seed = new Option<long>("--seed") { Description = "Seed: the same seed writes the same files.", DefaultValueFactory = _ => 0 };
        var lesionScale = new Option<double>("--lesion-scale") { Description = "Lesion size relative to the default (about a tenth of the image); 2 is a field of view closer around the lesion.", DefaultValueFactory = _ => 1 };
        var family = new Option<SynthFamily>("--family")
        {
            Description = "Ultrasound (phantoms whose classes differ in lesion texture) or Texture (full-field textures, one histogram for all classes, differing only in co-occurrence structure).",
            DefaultValueFactory = _ => SynthFamily.Ultrasound,
        };
        var json = CommonOptions.Json();
        var command = new Command("synth", Strings.SynthDescription) { output, count, size, format, seed, lesionScale, family, json };
        command.SetAction(UserErrors.Handle((parseResult, cancellationToken) =>
        {
            var console = ConsoleOutput.Create(parseResult);
            var folder = parseResult.GetRequiredValue(output);
            var perClass = parseResult.GetValue(count);
            var side = parseResult.GetValue(size);
            var scale = parseResult.GetValue(lesionScale);
            if (perClass < 1 || side < 32 || !(scale is >= 0.25 and <= 4))
            {
                console.MarkupLine("[red]--count must be at least 1, --size at least 32 and --lesion-scale between 0.25 and 4.[/]");
                return Task.FromResult(2);
            }

            var selected = SynthFormatNames.Parse(parseResult.GetRequiredValue(format));
            var rows = SynthDatasetWriter.Write(folder, perClass, side, selected, parseResult.GetValue(seed), SynthFamilies.Create(parseResult.GetValue(family), scale), cancellationToken: cancellationToken);
            if (parseResult.GetValue(json))
            {
                var document = new
                {
                    Folder = Path.GetFullPath(folder),
                    Format = selected.ToString(),
                    Images = rows.Count,
                    Classes = rows.GroupBy(r => r.Label).ToDictionary(g => g.Key, g => g.Count()),
                    Labels = Path.Combine(Path.GetFullPath(folder), "labels.csv"),
                };
                parseResult.InvocationConfiguration.Output.WriteLine(System.Text.Json.JsonSerializer.Serialize(document, CliJson.Options));
                return Task.FromResult(0);
            }

            console.MarkupLine(Markup.Escape($"Wrote {rows.Count} {selected} images ({string.Join(", ", rows.Select(r => r.Label).Distinct())}) and labels.csv to {folder}."));
            return Task.FromResult(0);
        }));
        return command;
    }
}
