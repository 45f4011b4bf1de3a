using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using GlcmMae.Shared.Inference;
using GlcmMae.Trainer.Benchmarks.Pipeline;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae bench pipeline</c>: load and fault rehearsal of the serving path through Azurite and a local Service Bus broker; exit 1 when the ledger does not balance.</summary>
internal static class BenchPipelineCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static Command Create()
    {
        var scans = new Option<int>("--scans") { Description = "Distinct scans to upload.", DefaultValueFactory = _ => 200 };
        var consumers = new Option<int>("--consumers") { Description = "Queue receivers in the serving process, each taking host.json's batch of 4 messages.", DefaultValueFactory = _ => 2 };
        var preset = new Option<string>("--preset") { Description = "Model architecture served (an untrained classifier of that preset).", DefaultValueFactory = _ => "tiny" };
        var scanSize = new Option<int>("--scan-size") { Description = "Side of the square PNG scans uploaded, in pixels.", DefaultValueFactory = _ => 256 };
        var faults = new Option<string>("--faults")
        {
            Description = "Faults to inject: all, none, or a comma-separated list of broker (Service Bus down), promotion (a new model mid-run), storage (Azurite restarted), corrupt (1% damaged files), duplicates (1% events delivered twice).",
            DefaultValueFactory = _ => "all",
        };
        var rate = new Option<double>("--rate") { Description = "Scans uploaded per second (0: as fast as possible, a backlog the receivers drain; latency then includes the wait in the queue).", DefaultValueFactory = _ => 0 };
        var outage = new Option<double>("--outage-seconds") { Description = "How long the broker stays down.", DefaultValueFactory = _ => 5 };
        var timeout = new Option<double>("--timeout-seconds") { Description = "Stop waiting for outcomes after this long; what has not arrived counts as lost.", DefaultValueFactory = _ => 600 };
        var azurite = new Option<string?>("--azurite") { Description = "The Azurite executable (default: tests/node_modules/.bin/azurite above this folder, else azurite on the PATH)." };
        var provider = new Option<ExecutionProviderChoice>("--execution-provider") { Description = "Auto, Cuda or Cpu, for serving.", DefaultValueFactory = _ => ExecutionProviderChoice.Auto };
        var seed = new Option<int>("--seed") { Description = "Seed of which scans are damaged and which events repeat or are base64.", DefaultValueFactory = _ => 1 };
        var json = CommonOptions.Json();
        scans.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--scans must be at least 1."); } });
        consumers.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 64) { r.AddError("--consumers must be between 1 and 64."); } });
        scanSize.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 16 or > 4096) { r.AddError("--scan-size must be between 16 and 4096 pixels."); } });
        faults.Validators.Add(r =>
        {
            if (!TryParseFaults(r.GetValueOrDefault<string>() ?? string.Empty, out _))
            {
                r.AddError("--faults takes all, none, or a comma-separated list of broker, promotion, storage, corrupt, duplicates.");
            }
        });
        var command = new Command("pipeline", Strings.BenchPipelineDescription) { scans, consumers, preset, scanSize, rate, faults, outage, timeout, azurite, provider, seed, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            _ = TryParseFaults(parseResult.GetRequiredValue(faults), out var chosen);
            var options = new PipelineRehearsalOptions
            {
                Scans = parseResult.GetValue(scans),
                Consumers = parseResult.GetValue(consumers),
                Preset = parseResult.GetRequiredValue(preset),
                ScanSize = parseResult.GetValue(scanSize),
                Rate = Math.Max(0, parseResult.GetValue(rate)),
                Faults = chosen,
                BrokerOutage = TimeSpan.FromSeconds(parseResult.GetValue(outage)),
                Timeout = TimeSpan.FromSeconds(parseResult.GetValue(timeout)),
                AzuritePath = parseResult.GetValue(azurite),
                ExecutionProvider = parseResult.GetRequiredValue(provider),
                Seed = parseResult.GetValue(seed),
            };

            // Progress goes to standard error, so that --json leaves exactly one JSON document on standard output.
            var error = parseResult.InvocationConfiguration.Error;
            var result = await PipelineRehearsal.RunAsync(options, new LineProgress(error, "pipeline"), cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(result, JsonOptions));
                return result.Ledger.Passed ? 0 : 1;
            }

            Write(ConsoleOutput.Create(parseResult), result);
            return result.Ledger.Passed ? 0 : 1;
        }));
        return command;
    }

    /// <summary>Parses <c>--faults</c>.</summary>
    internal static bool TryParseFaults(string text, out PipelineFaults faults)
    {
        faults = PipelineFaults.None;
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            PipelineFaults? one = name.ToUpperInvariant() switch
            {
                "ALL" => PipelineFaults.All,
                "NONE" => PipelineFaults.None,
                "BROKER" => PipelineFaults.BrokerOutage,
                "PROMOTION" => PipelineFaults.Promotion,
                "STORAGE" => PipelineFaults.StorageRestart,
                "CORRUPT" => PipelineFaults.CorruptScans,
                "DUPLICATES" => PipelineFaults.DuplicateEvents,
                _ => null,
            };
            if (one is null)
            {
                return false;
            }

            faults |= one.Value;
        }

        return true;
    }

    private static void Write(IAnsiConsole console, PipelineRehearsalResult result)
    {
        var o = result.Options;
        var ledger = result.Ledger;
        var table = new Table().Border(TableBorder.Rounded).AddColumns("measure", "value");
        table.AddRow("scans / consumers / model", $"{o.Scans} x {o.ScanSize}px PNG / {o.Consumers} / {Markup.Escape(o.Preset)}");
        table.AddRow("upload rate", o.Rate > 0 ? $"{o.Rate:F1} scans/s" : "as fast as possible (a backlog)");
        table.AddRow("events sent (repeats, base64, CloudEvents)", $"{result.EventsSent} ({result.DuplicateEvents}, {result.Base64Events}, {result.CloudEvents})");
        table.AddRow("scans/s", $"{result.ScansPerSecond:F1} over {result.Seconds:F1} s");
        table.AddRow("upload -> outcome p50 / p95 / max", $"{result.LatencyP50Milliseconds:F0} / {result.LatencyP95Milliseconds:F0} / {result.LatencyMaxMilliseconds:F0} ms");
        table.AddRow("results per model", Markup.Escape(string.Join(", ", result.ResultsPerModel.Select(p => $"{p.Key} {p.Value}"))));
        table.AddRow("errors by code", Markup.Escape(string.Join(", ", ledger.ErrorCodes.Select(p => $"{p.Key} {p.Value}"))));
        table.AddRow("received / retried / storage failures", $"{result.Received} / {result.Retried} / {result.StorageFailures}");
        table.AddRow("dropped by duplicate detection", $"{result.DuplicatesDropped}");
        table.AddRow("blobs with exactly one outcome", $"{ledger.ExactlyOnce} of {ledger.Blobs} ({ledger.ClassifiedByTwoModels} classified once by each model across the promotion)");
        table.AddRow("lost / duplicates delivered / wrong kind / unexpected / poison", $"{ledger.Lost} / {ledger.DuplicatesDelivered} / {ledger.WrongOutcome} / {ledger.Unexpected} / {ledger.Poison}");
        console.Write(table);
        foreach (var fault in result.Faults)
        {
            console.MarkupLine(Markup.Escape($"  {fault.AtSeconds,7:F2} s  {fault.What}"));
        }

        console.MarkupLine(ledger.Passed
            ? "[green]The ledger balances:[/] every blob has its outcome, none twice from one model, nothing poisoned."
            : Markup.Escape("The ledger does not balance: " + string.Join("; ", ledger.Problems) + "."));
        console.MarkupLine(Markup.Escape($"Machine: {result.Machine}; started {result.Started:u}."));
    }
}
