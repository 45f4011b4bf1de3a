using System.CommandLine;
using System.Text.Json;
using GlcmMae.Trainer.Benchmarks;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae bench ...</c>: performance measurements (each subcommand one area).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", Strings.BenchDescription);
        command.Subcommands.Add(Decode());
        return command;
    }

    private static Command Decode()
    {
        var json = CommonOptions.Json();
        var seconds = new Option<double>("--seconds") { Description = Strings.BenchSecondsDescription, DefaultValueFactory = _ => 1.0 };
        var command = new Command("decode", Strings.BenchDecodeDescription) { json, seconds };
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(RunDecode(parseResult, json, seconds, cancellationToken)));
        return command;
    }

    private static int RunDecode(ParseResult parseResult, Option<bool> json, Option<double> seconds, CancellationToken cancellationToken)
    {
        var console = ConsoleOutput.Create(parseResult);
        var budget = TimeSpan.FromSeconds(Math.Max(parseResult.GetValue(seconds), 0.05));
        IReadOnlyList<DecodeBenchmarkResult> results = [];
        if (parseResult.GetValue(json))
        {
            results = DecodeBenchmark.Run(budget, cancellationToken: cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            return 0;
        }

        console.Status().Start("measuring", context =>
            results = DecodeBenchmark.Run(budget, new Progress<string>(what => context.Status(Markup.Escape(what))), cancellationToken));
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("image", "transfer syntax", "stage", "ms/file", "files/s", "MB/s", "KiB alloc/file");
        foreach (var r in results)
        {
            table.AddRow(r.Image, r.TransferSyntax, r.Stage, $"{r.MillisecondsPerFile:F3}", $"{r.FilesPerSecond:F0}", $"{r.MegabytesPerSecond:F0}", $"{r.AllocatedKilobytesPerFile:F0}");
        }

        console.Write(table);
        console.MarkupLine("Single-threaded; MB/s counts encoded file bytes. Target: 512x512 16-bit uncompressed decode + preprocess under 2 ms.");
        return 0;
    }
}
