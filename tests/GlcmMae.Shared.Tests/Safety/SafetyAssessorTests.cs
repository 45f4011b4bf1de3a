using GlcmMae.Shared.Safety;

namespace GlcmMae.Shared.Tests.Safety;

public sealed class SafetyAssessorTests
{
    private static readonly string[] Labels = ["benign", "malignant", "normal"];

    private static SafetyProfile Profile(double temperature = 1, AbstentionRule? abstention = null, OperatingPoint? point = null) => new()
    {
        Scans = 100,
        Calibration = new TemperatureCalibration(temperature, 0.1, 0.05, 0.9, 0.8),
        Abstention = abstention,
        OperatingPoint = point,
    };

    [Fact]
    public void Without_a_profile_probabilities_are_the_softmax_and_the_score_is_the_energy()
    {
        var assessed = SafetyAssessor.Assess([2f, 0f, -1f], scoresAreLogits: true, null, Labels);

        var expected = new[] { Math.Exp(2), 1, Math.Exp(-1) };
        var sum = expected.Sum();
        Assert.Equal(expected.Select(e => e / sum), assessed.Probabilities, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(-Math.Log(sum), assessed.OodScore, 12);
        Assert.Equal(OodScoreKind.Energy, assessed.OodScoreKind);
        Assert.Equal(0, assessed.Best);
        Assert.False(assessed.Abstained);
        Assert.Null(assessed.Positive);
    }

    [Fact]
    public void A_temperature_above_one_softens_the_probabilities_without_changing_the_class()
    {
        var plain = SafetyAssessor.Assess([3f, 0f, 0f], true, Profile(), Labels);
        var softened = SafetyAssessor.Assess([3f, 0f, 0f], true, Profile(temperature: 3), Labels);

        Assert.Equal(plain.Best, softened.Best);
        Assert.True(softened.Probabilities[0] < plain.Probabilities[0]);
        Assert.Equal(Math.E / (Math.E + 2), softened.Probabilities[0], 12);
    }

    [Fact]
    public void A_scan_scoring_above_the_threshold_is_abstained_and_gets_no_decision()
    {
        var point = new OperatingPoint("malignant", 0.0, OperatingRule.Sensitivity, 0.9, 0.9, 0.5);
        // Energy of near-equal small logits is high (about -log 3); of one large logit, low.
        var unlike = SafetyAssessor.Assess([0.1f, 0f, 0.1f], true, Profile(abstention: new AbstentionRule(OodScoreKind.Energy, -2, 0.95, 0.95), point: point), Labels);
        var alike = SafetyAssessor.Assess([8f, 0f, 0f], true, Profile(abstention: new AbstentionRule(OodScoreKind.Energy, -2, 0.95, 0.95), point: point), Labels);

        Assert.True(unlike.Abstained);
        Assert.Null(unlike.Positive);
        Assert.False(alike.Abstained);
        Assert.True(alike.Positive);
    }

    [Fact]
    public void The_decision_follows_the_positive_class_threshold_not_the_arg_max()
    {
        // Malignant at about 0.21: not the arg-max, but above a threshold chosen for sensitivity.
        var scores = new[] { 1f, 0f, -2f };
        var low = SafetyAssessor.Assess(scores, true, Profile(point: new OperatingPoint("malignant", 0.2, OperatingRule.Sensitivity, 0.9, 0.9, 0.6)), Labels);
        var high = SafetyAssessor.Assess(scores, true, Profile(point: new OperatingPoint("malignant", 0.5, OperatingRule.Youden, null, 0.8, 0.8)), Labels);

        Assert.Equal(0, low.Best);
        Assert.True(low.Positive);
        Assert.False(high.Positive);
    }

    [Fact]
    public void A_graph_without_logits_is_scored_by_max_probability_and_an_energy_rule_abstains_rather_than_guess()
    {
        var probabilities = new[] { 0.7f, 0.2f, 0.1f };

        var unruled = SafetyAssessor.Assess(probabilities, scoresAreLogits: false, null, Labels);
        var energyRule = SafetyAssessor.Assess(probabilities, scoresAreLogits: false, Profile(abstention: new AbstentionRule(OodScoreKind.Energy, 100, 0.95, 0.95)), Labels);

        Assert.Equal(OodScoreKind.MaxProbability, unruled.OodScoreKind);
        Assert.Equal(0.3, unruled.OodScore, 6);
        Assert.Equal(probabilities.Select(p => (double)p), unruled.Probabilities, (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.True(energyRule.Abstained);
    }
}
