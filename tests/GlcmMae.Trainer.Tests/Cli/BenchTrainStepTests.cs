using System.Text.Json;

namespace GlcmMae.Trainer.Tests.Cli;

/// <summary>
/// bench train-step judges the process's peak memory (resident high-water mark), so it runs alone: a test of another
/// collection allocating at the same time would be charged to the GLCM term it measures.
/// </summary>
[Collection(MeasuringCollection.Name)]
public sealed class BenchTrainStepTests
{
    [Fact]
    public async Task Bench_train_step_reports_step_times_and_glcm_term_costs()
    {
        var (exitCode, output, error) = await CliInvoker.InvokeAsync("bench", "train-step", "--batch", "2", "--steps", "1", "--threads", "1", "--json");

        Assert.True(exitCode == 0, output + error);
        using var report = JsonDocument.Parse(output);
        var steps = report.RootElement.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(2, steps.Length);
        Assert.All(steps, s => Assert.True(s.GetProperty("millisecondsPerStep").GetDouble() > 0));
        var terms = report.RootElement.GetProperty("glcmTerm").EnumerateArray().ToArray();
        Assert.Equal(3, terms.Length);
        Assert.True(report.RootElement.GetProperty("memoryRatio").GetDouble() > 1, output);
    }
}
