using System.Text.Json;
using GlcmMae.Testing;
using GlcmMae.Trainer.Tests.Cli;

namespace GlcmMae.Trainer.Tests.Benchmarks.Pipeline;

/// <summary>The load and fault rehearsal at small N: every fault injected, and the ledger must balance exactly.</summary>
[Collection(TorchCollection.Name)]
public sealed class PipelineRehearsalTests
{
    [Fact]
    public async Task Bench_pipeline_survives_every_fault_with_an_exact_ledger()
    {
        var azurite = await NodeTools.EnsureAsync("azurite");

        var (exitCode, output, error) = await CliInvoker.InvokeAsync(
            "bench", "pipeline", "--scans", "60", "--rate", "15", "--consumers", "2", "--scan-size", "96", "--faults", "all", "--outage-seconds", "2",
            "--execution-provider", "cpu", "--timeout-seconds", "240", "--azurite", azurite, "--json");

        // --json: standard output is exactly one JSON document; progress and logs went to standard error.
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        var ledger = root.GetProperty("ledger");
        Assert.True(exitCode == 0, $"{output}\n{error}");
        Assert.True(ledger.GetProperty("passed").GetBoolean());
        Assert.Equal(60, ledger.GetProperty("blobs").GetInt32());
        Assert.Equal(0, ledger.GetProperty("lost").GetInt32());
        Assert.Equal(0, ledger.GetProperty("duplicatesDelivered").GetInt32());
        Assert.Equal(0, ledger.GetProperty("poison").GetInt32());
        Assert.Equal(0, ledger.GetProperty("wrongOutcome").GetInt32());
        // Every damaged file became an error outcome, and only those did.
        Assert.Equal(ledger.GetProperty("corrupt").GetInt32(), ledger.GetProperty("errors").GetInt32());
        Assert.True(ledger.GetProperty("corrupt").GetInt32() >= 1);
        // The repeated events were published again and dropped by duplicate detection (or classified by the next model).
        Assert.True(root.GetProperty("duplicateEvents").GetInt32() >= 1);
        Assert.True(root.GetProperty("duplicatesDropped").GetInt32() + ledger.GetProperty("classifiedByTwoModels").GetInt32() >= root.GetProperty("duplicateEvents").GetInt32());
        Assert.Equal(30, root.GetProperty("base64Events").GetInt32());
        // All five fault events happened, and serving followed the promotion.
        var faults = root.GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("what").GetString()!).ToList();
        Assert.Equal(7, faults.Count);
        Assert.Contains("serving switched to v2", faults);
        Assert.Contains(faults, f => f.StartsWith("Azurite started again", StringComparison.Ordinal));
        Assert.True(root.GetProperty("resultsPerModel").TryGetProperty("v2", out var v2) && v2.GetInt32() > 0, output);
        Assert.True(root.GetProperty("latencyP95Milliseconds").GetDouble() > 0);
    }
}
