using System.Text.Json;
using GlcmMae.Shared.Imaging;
using GlcmMae.Testing;
using GlcmMae.Trainer.Benchmarks.Fuzzing;
using GlcmMae.Trainer.Tests.Cli;

namespace GlcmMae.Trainer.Tests.Benchmarks;

/// <summary>The fuzz harness: what it counts, what it keeps, and a short pass over every seed family (the CI pass).</summary>
[Collection(MeasuringCollection.Name)]
public sealed class FuzzHarnessTests
{
    [Fact]
    public async Task A_short_pass_over_every_format_and_syntax_finds_no_untyped_exception_and_nothing_over_a_limit()
    {
        using var findings = new TempFolder();

        var (exitCode, output, error) = await CliInvoker.InvokeAsync("bench", "fuzz", "--inputs", "20000", "--seed", "5", "--findings", findings.Path, "--json");

        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        Assert.True(exitCode == 0, $"fuzz findings: {output}\n{error}");
        Assert.Equal(20000, root.GetProperty("inputs").GetInt64());
        Assert.Empty(root.GetProperty("untyped").EnumerateObject());
        Assert.Equal(0, root.GetProperty("overTime").GetInt64());
        Assert.Equal(0, root.GetProperty("overMemory").GetInt64());
        // Every family the tools installed by build/setup.sh can make is in the corpus, and damage reaches the decoders.
        var families = root.GetProperty("families").EnumerateArray().Select(f => f.GetProperty("family").GetString()!).ToArray();
        foreach (var expected in new[] { "RLE Lossless", "Deflated", "JPEG Baseline", "JPEG Extended", "JPEG Lossless", "JPEG-LS", "JPEG 2000 Lossless", "JPEG 2000 (", "PNG palette", "PNG interlaced", "JPEG file" })
        {
            Assert.Contains(families, f => f.Contains(expected, StringComparison.Ordinal));
        }

        Assert.True(root.GetProperty("decoded").GetInt64() > 0);
        Assert.True(root.GetProperty("typedErrors").GetProperty("CorruptFile").GetInt64() > 1000);
        Assert.Empty(Directory.EnumerateFiles(findings.Path));
    }

    [Fact]
    public void Untyped_exceptions_and_slow_or_greedy_inputs_are_counted_and_kept()
    {
        using var findings = new TempFolder();
        var seeds = new[] { new FuzzSeed("bytes", Enumerable.Range(0, 64).Select(i => (byte)i).ToArray()) };
        // Managed allocations only: other tests share this process, and its resident growth would be charged to the inputs.
        var options = new FuzzOptions { Inputs = 20, MaxTime = TimeSpan.FromSeconds(1), MaxMemoryBytes = 8L << 20, MeasureResidentMemory = false, FindingsFolder = findings.Path };
        var run = 0;

        var report = FuzzHarness.Run(seeds, options, (input, _, _) =>
        {
            switch (run++ % 4)
            {
                case 0:
                    throw new ImageFormatException("CorruptFile", "damaged");
                case 1:
                    throw new DivideByZeroException();
                case 2:
                    Thread.Sleep(1500);
                    break;
                default:
                    GC.KeepAlive(new byte[16 << 20]);
                    break;
            }
        });

        // The undamaged seed ran first (run 0: a typed error), then 20 inputs, five of each kind.
        Assert.Equal(20, report.Inputs);
        Assert.Equal(["bytes: CorruptFile"], report.UndecodableSeeds);
        Assert.Equal(5, report.Untyped.Values.Sum());
        Assert.Contains("System.DivideByZeroException", Assert.Single(report.Untyped.Keys), StringComparison.Ordinal);
        Assert.Equal(5, report.TypedErrors["CorruptFile"]);
        Assert.Equal(5, report.OverTime);
        Assert.Equal(5, report.OverMemory);
        Assert.False(report.Clean);
        Assert.Equal(15, Directory.EnumerateFiles(findings.Path).Count());
    }
}
