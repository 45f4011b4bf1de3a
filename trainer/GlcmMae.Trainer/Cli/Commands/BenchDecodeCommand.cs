using System.CommandLine;
using System.Text.Json;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Benchmarks;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae bench decode</c>: decode speed per transfer syntax, on generated images or on the user's own scans (<c>--files</c>).</summary>
internal static class BenchDecodeCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var seconds = new Option<double>("--seconds") { Description = Strings.BenchSecondsDescription, DefaultValueFactory = _ => 1.0 };
        var files = new Option<string[]>("--files") { Description = "Your own scans (files or folders, searched recursively): measured per transfer syntax instead of the generated images. File names are never printed.", AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int>("--decoder-threads") { Description = "Threads one JPEG 2000 or HTJ2K frame may decode on (Imaging:Dicom:DecoderThreads).", DefaultValueFactory = _ => 1 };
        threads.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 256)
            {
                result.AddError("--decoder-threads must be between 1 and 256.");
            }
        });
        var resolution = CommonOptions.DecodeResolution();
        resolution.Description = "With --files: full (default), or reduced: JPEG 2000 frames decode only the wavelet level just large enough for the default preprocessing (shorter side 256), as a model trained with --decode-resolution reduced serves them. The generated images always add a reduced row for JPEG 2000.";
        var command = new Command("decode", Strings.BenchDecodeDescription) { json, seconds, files, threads, resolution };
        command.SetAction(UserErrors.Handle((parseResult, cancellationToken) =>
        {
            var budget = TimeSpan.FromSeconds(Math.Max(parseResult.GetValue(seconds), 0.05));
            var reader = new DicomReaderOptions { DecoderThreads = parseResult.GetValue(threads) };
            return Task.FromResult(parseResult.GetValue(files) is { Length: > 0 } paths
                ? RunFiles(parseResult, json, paths, budget, reader, parseResult.GetValue(resolution), cancellationToken)
                : RunGenerated(parseResult, json, budget, reader, cancellationToken));
        }));
        return command;
    }

    private static int RunFiles(ParseResult parseResult, Option<bool> json, string[] paths, TimeSpan budget, DicomReaderOptions reader, DecodeResolution resolution, CancellationToken cancellationToken)
    {
        var minimumShorterSide = (PreprocessingSpec.Default with { DecodeResolution = resolution }).MinimumDecodedShorterSide;
        if (parseResult.GetValue(json))
        {
            var rows = DecodeFilesBenchmark.Run(paths, budget, reader, minimumShorterSide, cancellationToken: cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            return 0;
        }

        var console = ConsoleOutput.Create(parseResult);
        IReadOnlyList<DecodeFilesBenchmarkRow> results = [];
        console.Status().Start("measuring", context =>
            results = DecodeFilesBenchmark.Run(paths, budget, reader, minimumShorterSide, new Progress<string>(what => context.Status(Markup.Escape(what))), cancellationToken));
        var table = new Table().Border(TableBorder.Rounded).AddColumns("transfer syntax", "files", "decodes", "ms/file", "files/s", "MB/s", "Mpixel/s", "KiB alloc/file");
        foreach (var r in results)
        {
            table.AddRow(Markup.Escape(r.Group), $"{r.Files}", $"{r.Decodes}", $"{r.MillisecondsPerFile:F3}", $"{r.FilesPerSecond:F1}", $"{r.MegabytesPerSecond:F1}", $"{r.MegapixelsPerSecond:F1}", $"{r.AllocatedKilobytesPerFile:F0}");
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape($"One thread (JPEG 2000 frames on {reader.DecoderThreads}, at {resolution} resolution); first frame of each file; MB/s counts encoded file bytes and Mpixel/s the files' full size. Refused files are counted by error code, not timed."));
        return 0;
    }

    private static int RunGenerated(ParseResult parseResult, Option<bool> json, TimeSpan budget, DicomReaderOptions reader, CancellationToken cancellationToken)
    {
        var console = ConsoleOutput.Create(parseResult);
        IReadOnlyList<DecodeBenchmarkResult> results = [];
        if (parseResult.GetValue(json))
        {
            results = DecodeBenchmark.Run(budget, reader, cancellationToken: cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            return 0;
        }

        console.Status().Start("measuring", context =>
            results = DecodeBenchmark.Run(budget, reader, new Progress<string>(what => context.Status(Markup.Escape(what))), cancellationToken));
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("image", "transfer syntax", "stage", "ms/file", "files/s", "MB/s", "KiB alloc/file");
        foreach (var r in results)
        {
            table.AddRow(r.Image, r.TransferSyntax, r.Stage, $"{r.MillisecondsPerFile:F3}", $"{r.FilesPerSecond:F0}", $"{r.MegabytesPerSecond:F0}", $"{r.AllocatedKilobytesPerFile:F0}");
        }

        console.Write(table);
        console.MarkupLine($"Single-threaded (JPEG 2000 frames on {reader.DecoderThreads}); MB/s counts encoded file bytes. Target: 512x512 16-bit uncompressed decode + preprocess under 2 ms.");
        return 0;
    }
}
