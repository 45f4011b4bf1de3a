using System.CommandLine;
using System.Text.Json;
using GlcmMae.Trainer.Benchmarks.Fuzzing;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae bench fuzz</c>: damaged DICOM, PNG and JPEG files through the serving decode path; exit 1 when any input threw untyped or went over a limit.</summary>
internal static class BenchFuzzCommand
{
    public static Command Create()
    {
        var inputs = new Option<long>("--inputs") { Description = "Damaged inputs to run, spread over the seed files.", DefaultValueFactory = _ => 20_000 };
        var seconds = new Option<double?>("--seconds") { Description = "Stop after this many seconds even if fewer inputs ran." };
        var seed = new Option<int>("--seed") { Description = "Seed of the damage: the same seed and seed files give the same inputs.", DefaultValueFactory = _ => 1 };
        var maxMs = new Option<double>("--max-ms") { Description = "An input that takes longer than this to open and decode is over the limit.", DefaultValueFactory = _ => 1000 };
        var maxMemory = new Option<int>("--max-memory-mb") { Description = "An input that takes more memory than this (resident growth or managed allocation) is over the limit.", DefaultValueFactory = _ => 256 };
        var seedFiles = new Option<string[]>("--seed-files") { Description = "Your own scans (files or folders) to damage, besides the generated seeds.", AllowMultipleArgumentsPerToken = true };
        var findings = new Option<string>("--findings") { Description = "Folder for inputs that threw untyped or went over a limit, to reproduce them.", DefaultValueFactory = _ => "fuzz-findings" };
        var json = CommonOptions.Json();
        var command = new Command("fuzz", Strings.BenchFuzzDescription) { inputs, seconds, seed, maxMs, maxMemory, seedFiles, findings, json };
        command.SetAction(UserErrors.Handle((parseResult, cancellationToken) =>
        {
            var options = new FuzzOptions
            {
                Inputs = Math.Max(1, parseResult.GetValue(inputs)),
                Duration = parseResult.GetValue(seconds) is { } s ? TimeSpan.FromSeconds(s) : null,
                Seed = parseResult.GetValue(seed),
                MaxTime = TimeSpan.FromMilliseconds(parseResult.GetValue(maxMs)),
                MaxMemoryBytes = (long)parseResult.GetValue(maxMemory) << 20,
                FindingsFolder = parseResult.GetValue(findings),
            };

            // Progress goes to standard error, so that --json leaves exactly one JSON document on standard output.
            var error = parseResult.InvocationConfiguration.Error;
            var progress = new LineProgress(error, "fuzz");
            var seeds = FuzzSeeds.Build(parseResult.GetValue(seedFiles));
            error.WriteLine($"fuzz: {seeds.Count} seed files in {seeds.Select(s => s.Family).Distinct().Count()} families; {options.Inputs} inputs");
            var report = FuzzHarness.Run(seeds, options, progress, cancellationToken);
            if (parseResult.GetValue(json))
            {
                parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                return Task.FromResult(report.Clean ? 0 : 1);
            }

            var console = ConsoleOutput.Create(parseResult);
            var table = new Table().Border(TableBorder.Rounded).AddColumns("seed family", "inputs", "decoded", "typed errors", "untyped", "over time", "over memory", "max ms");
            foreach (var family in report.Families)
            {
                table.AddRow(Markup.Escape(family.Family), $"{family.Inputs}", $"{family.Decoded}", $"{family.TypedErrors}", $"{family.Untyped}", $"{family.OverTime}", $"{family.OverMemory}", $"{family.MaxMilliseconds:F1}");
            }

            console.Write(table);
            console.MarkupLine(Markup.Escape($"{report.Inputs} inputs in {report.Seconds:F0} s ({report.InputsPerSecond:F0}/s): {report.Decoded} decoded, typed errors {string.Join(", ", report.TypedErrors.Select(t => $"{t.Key} {t.Value}"))}; untyped {report.Untyped.Values.Sum()}, over time {report.OverTime}, over memory {report.OverMemory}. Slowest input {report.MaxMilliseconds:F1} ms (p99 {report.P99Milliseconds:F2} ms), most memory {report.MaxMemoryMegabytes:F1} MiB. Limits: {report.Limits}."));
            foreach (var seed in report.UndecodableSeeds)
            {
                console.MarkupLine(Markup.Escape($"seed refused undamaged: {seed}"));
            }

            foreach (var (failure, count) in report.Untyped)
            {
                console.MarkupLine(Markup.Escape($"untyped: {failure} x{count}"));
            }

            foreach (var path in report.Findings.Take(20))
            {
                console.MarkupLine(Markup.Escape($"saved: {path}"));
            }

            return Task.FromResult(report.Clean ? 0 : 1);
        }));
        return command;
    }
}
