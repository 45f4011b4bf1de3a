using System.Text.Json.Nodes;
using GlcmMae.Shared.Models;
using GlcmMae.Trainer.Registry;

namespace GlcmMae.Trainer.Tests.Export;

public sealed class PublishGateTests
{
    private static ModelManifest Manifest(string version, double? balancedAccuracy, string? evaluationSet = "set-1") => new()
    {
        Name = "m",
        Version = version,
        Created = DateTimeOffset.UtcNow,
        Labels = ["a", "b"],
        InputName = "pixels",
        InputShape = [-1, 1, 8, 8],
        OutputNames = ["logits", "probabilities"],
        Preprocessing = [],
        PreprocessingHash = "0",
        Opset = 17,
        Sha256 = "0",
        EvaluationSetFingerprint = evaluationSet,
        Metrics = balancedAccuracy is { } v
            ? new Dictionary<string, IReadOnlyDictionary<string, double>> { ["test"] = new Dictionary<string, double> { ["balancedAccuracy"] = v } }
            : new Dictionary<string, IReadOnlyDictionary<string, double>>(),
    };

    [Theory]
    [InlineData(0.80, 0.75, true)]
    [InlineData(0.75, 0.75, true)]
    [InlineData(0.70, 0.75, false)]
    public void Promotes_only_when_not_worse_on_the_same_test_set(double candidate, double current, bool promoted)
    {
        var (promote, reason) = PublishGate.Decide(Manifest("new", candidate), Manifest("old", current), "balancedAccuracy");

        Assert.Equal(promoted, promote);
        Assert.Contains("old", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_test_sets_or_missing_metrics_are_not_compared()
    {
        Assert.False(PublishGate.Decide(Manifest("new", 0.9, "set-2"), Manifest("old", 0.5), "balancedAccuracy").Promote);
        Assert.False(PublishGate.Decide(Manifest("new", null), Manifest("old", 0.5), "balancedAccuracy").Promote);
        Assert.True(PublishGate.Decide(Manifest("new", 0.1), null, "balancedAccuracy").Promote);
        Assert.True(PublishGate.Decide(Manifest("new", 0.1), Manifest("old", null), "balancedAccuracy").Promote);
    }
}
