using System.Security.Cryptography;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Storage;
using GlcmMae.Testing;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Registry;

namespace GlcmMae.Trainer.Tests.Registry;

/// <summary>
/// The gate with real ONNX models run by the serving code. <see cref="TestModels"/> classify by mean intensity: dark
/// scans benign, bright ones normal (scale 1); scale -1 calls every scan benign, so it misses every normal scan.
/// </summary>
public sealed class ChampionChallengerGateTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ModelRegistry _registry;

    public ChampionChallengerGateTests() => _registry = new ModelRegistry(new LocalFolderBlobStore(_temp.File("models")));

    public void Dispose() => _temp.Dispose();

    private static GateOptions Options(int minimum = 10) => new() { MinimumPerClass = minimum, Resamples = 500, ExecutionProvider = ExecutionProviderChoice.Cpu };

    /// <summary>A test split of <paramref name="perClass"/> PNG scans per class, one study each: benign dark, malignant mid-grey, normal bright.</summary>
    private async Task<(IReadOnlyList<SnapshotEntry> Lineage, string Root)> TestSplitAsync(int perClass)
    {
        var root = _temp.File("data");
        var entries = new List<SnapshotEntry>();
        foreach (var (label, level) in new[] { ("benign", 30), ("malignant", 128), ("normal", 225) })
        {
            Directory.CreateDirectory(Path.Combine(root, label));
            for (var i = 0; i < perClass; i++)
            {
                var path = $"{label}/{i}.png";
                var bytes = Png((byte)(level + (i % 5)));
                await File.WriteAllBytesAsync(Path.Combine(root, path), bytes);
                entries.Add(new SnapshotEntry(path, null, Convert.ToHexStringLower(SHA256.HashData(bytes)), label, SnapshotUse.Test, $"{label}-{i}", "Png", DateTimeOffset.UtcNow));
            }
        }

        // Training scans are in the lineage too; the gate must use the test split only.
        entries.Add(entries[0] with { Path = "benign/0.png", Split = SnapshotUse.Train, Label = "normal" });
        return (entries, root);
    }

    private static byte[] Png(byte level) => TestModels.GreyPng(level);

    [Fact]
    public async Task The_first_model_is_promoted_without_a_comparison()
    {
        var candidate = await TestModels.PublishAsync(_registry, "m", "v1", promote: false);

        var decision = await ChampionChallengerGate.DecideAsync(_registry, candidate, null, null, Options(), CancellationToken.None);

        Assert.True(decision.Promote);
        Assert.Equal(GateVerdict.FirstModel, decision.Verdict);
        Assert.Null(decision.Comparison);
    }

    [Fact]
    public async Task An_equally_good_candidate_is_promoted_with_both_figures_on_the_same_scans()
    {
        var (lineage, root) = await TestSplitAsync(12);
        await TestModels.PublishAsync(_registry, "m", "v1");
        var candidate = await TestModels.PublishAsync(_registry, "m", "v2", scale: 1.5f, promote: false);

        var decision = await ChampionChallengerGate.DecideAsync(_registry, candidate, lineage, root, Options(), CancellationToken.None);

        Assert.True(decision.Promote, decision.Reason);
        Assert.Equal(GateVerdict.NotWorse, decision.Verdict);
        var comparison = decision.Comparison!;
        Assert.Equal("v1", comparison.ChampionVersion);
        Assert.Equal("balancedAccuracy", comparison.Metric);
        Assert.Equal(36, comparison.Images);
        Assert.Equal(36, comparison.Groups);
        // Benign and normal right, malignant (a tie the arg-max gives to benign) wrong: 2/3 for both.
        Assert.Equal(2.0 / 3, comparison.Candidate, 6);
        Assert.Equal(2.0 / 3, comparison.Champion, 6);
        Assert.Equal(0, comparison.Lower);
        Assert.Equal(0, comparison.Upper);
        Assert.Equal(DatasetSnapshot.Fingerprint(lineage.Where(e => e.Split == SnapshotUse.Test)), comparison.EvaluationSetFingerprint);
    }

    [Fact]
    public async Task A_worse_candidate_is_refused_with_the_champion_remeasured()
    {
        var (lineage, root) = await TestSplitAsync(12);
        await TestModels.PublishAsync(_registry, "m", "v1");
        var candidate = await TestModels.PublishAsync(_registry, "m", "v2", scale: -1f, promote: false);

        var decision = await ChampionChallengerGate.DecideAsync(_registry, candidate, lineage, root, Options(), CancellationToken.None);

        Assert.False(decision.Promote);
        Assert.Equal(GateVerdict.Worse, decision.Verdict);
        Assert.Equal(1.0 / 3, decision.Comparison!.Candidate, 6);
        Assert.Equal(2.0 / 3, decision.Comparison.Champion, 6);
        Assert.True(decision.Comparison.Upper < 0);
        Assert.Contains("worse than the serving model", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_few_test_scans_of_a_class_is_a_refusal_that_says_so()
    {
        var (lineage, root) = await TestSplitAsync(4);
        await TestModels.PublishAsync(_registry, "m", "v1");
        var candidate = await TestModels.PublishAsync(_registry, "m", "v2", scale: 1.5f, promote: false);

        var decision = await ChampionChallengerGate.DecideAsync(_registry, candidate, lineage, root, Options(minimum: 5), CancellationToken.None);

        Assert.False(decision.Promote);
        Assert.Equal(GateVerdict.TooFewImages, decision.Verdict);
        Assert.Contains("benign 4", decision.Reason, StringComparison.Ordinal);
        Assert.Null(decision.Comparison);
    }

    [Fact]
    public async Task A_test_scan_changed_since_training_is_a_refusal()
    {
        var (lineage, root) = await TestSplitAsync(3);
        await TestModels.PublishAsync(_registry, "m", "v1");
        var candidate = await TestModels.PublishAsync(_registry, "m", "v2", promote: false);
        await File.WriteAllBytesAsync(Path.Combine(root, "normal/1.png"), Png(9));

        var decision = await ChampionChallengerGate.DecideAsync(_registry, candidate, lineage, root, Options(minimum: 1), CancellationToken.None);

        Assert.Equal(GateVerdict.NoTestSplit, decision.Verdict);
        Assert.Contains("changed", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_of_different_classes_are_left_to_a_person()
    {
        var (lineage, root) = await TestSplitAsync(3);
        await TestModels.PublishAsync(_registry, "m", "v1");
        var onnx = TestModels.Build(1);
        var path = _temp.File("other.onnx");
        await File.WriteAllBytesAsync(path, onnx);
        var candidate = TestModels.Manifest("m", "v2", onnx) with { Labels = ["benign", "malignant", "cyst"] };
        await _registry.PublishAsync(candidate, path, null);

        var decision = await ChampionChallengerGate.DecideAsync(_registry, candidate, lineage, root, Options(minimum: 1), CancellationToken.None);

        Assert.Equal(GateVerdict.ClassesDiffer, decision.Verdict);
        Assert.False(decision.Promote);
    }

    [Theory]
    [InlineData(0.00, -0.01, "NotWorse")]
    [InlineData(-0.01, -0.02, "NotWorse")]
    [InlineData(0.00, -0.05, "Inconclusive")]
    [InlineData(-0.03, -0.08, "Worse")]
    [InlineData(0.05, 0.01, "NotWorse")]
    public void The_rule_is_non_inferiority_at_the_tolerance(double difference, double lower, string expected) =>
        Assert.Equal(Enum.Parse<GateVerdict>(expected), ChampionChallengerGate.Judge(difference, lower, 0.02));

    [Fact]
    public void Settings_the_gate_cannot_decide_with_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new GateOptions { Tolerance = -0.1 }.Validate());
        Assert.Throws<ArgumentException>(() => new GateOptions { MinimumPerClass = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new GateOptions { Resamples = 5 }.Validate());
        Assert.Throws<ArgumentException>(() => new GateOptions { Level = 1 }.Validate());
        Assert.Throws<ArgumentException>(() => new GateOptions { ExecutionProvider = (ExecutionProviderChoice)7 }.Validate());
    }
}
