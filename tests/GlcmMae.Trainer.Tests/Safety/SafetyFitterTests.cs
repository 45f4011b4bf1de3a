using GlcmMae.Shared.Safety;
using GlcmMae.Trainer.Safety;

namespace GlcmMae.Trainer.Tests.Safety;

public sealed class SafetyFitterTests
{
    private static readonly string[] Labels = ["benign", "malignant", "normal"];

    /// <summary>Scans drawn from a calibrated model (labels sampled from its own probabilities), then its logits multiplied by <paramref name="overconfidence"/>.</summary>
    private static (int[] Truth, double[][] Logits) Overconfident(int count, double overconfidence, int seed)
    {
        var random = new Random(seed);
        var truth = new int[count];
        var logits = new double[count][];
        for (var i = 0; i < count; i++)
        {
            var calibrated = new[] { random.NextDouble() * 3, random.NextDouble() * 3, random.NextDouble() * 3 };
            var p = SafetyAssessor.Softmax(calibrated, 1);
            var u = random.NextDouble();
            truth[i] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
            logits[i] = [.. calibrated.Select(z => z * overconfidence)];
        }

        return (truth, logits);
    }

    [Fact]
    public void Temperature_scaling_recovers_the_overconfidence_and_lowers_ece_and_nll()
    {
        var (truth, logits) = Overconfident(4000, overconfidence: 3, seed: 1);

        var profile = SafetyFitter.Fit(Labels, truth, logits, [.. logits.Select(l => -Math.Log(l.Sum(Math.Exp)))], new SafetyOptions());

        Assert.InRange(profile.Calibration.Temperature, 2.6, 3.4);
        Assert.True(profile.Calibration.NllAfter < profile.Calibration.NllBefore);
        Assert.True(profile.Calibration.EceAfter < profile.Calibration.EceBefore / 2, $"ECE {profile.Calibration.EceBefore} -> {profile.Calibration.EceAfter}");
    }

    [Fact]
    public void The_abstention_threshold_keeps_the_asked_share_of_validation_scans()
    {
        var scores = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

        Assert.Equal(95, SafetyFitter.KeepThreshold(scores, 0.95));
        Assert.Equal(100, SafetyFitter.KeepThreshold(scores, 1.0));
        var (truth, logits) = Overconfident(200, 1, seed: 2);
        var energies = logits.Select(l => -Math.Log(l.Sum(Math.Exp))).ToArray();
        var rule = SafetyFitter.Fit(Labels, truth, logits, energies, new SafetyOptions { KeepRate = 0.9 }).Abstention!;
        Assert.Equal(OodScoreKind.Energy, rule.Score);
        Assert.InRange(rule.ValidationKeepRate, 0.9, 0.905);
        Assert.Equal(rule.ValidationKeepRate, energies.Count(e => e <= rule.Threshold) / 200.0);
    }

    [Fact]
    public void Without_logits_the_abstention_falls_back_to_the_maximum_probability()
    {
        var (truth, logits) = Overconfident(100, 1, seed: 3);

        var rule = SafetyFitter.Fit(Labels, truth, logits, [.. truth.Select(_ => double.NaN)], new SafetyOptions()).Abstention!;

        Assert.Equal(OodScoreKind.MaxProbability, rule.Score);
        Assert.InRange(rule.Threshold, 0, 1);
    }

    [Fact]
    public void The_sensitivity_rule_picks_the_most_specific_threshold_that_reaches_the_target()
    {
        var (truth, logits) = Overconfident(1000, 1, seed: 4);
        var energies = logits.Select(l => -Math.Log(l.Sum(Math.Exp))).ToArray();

        var profile = SafetyFitter.Fit(Labels, truth, logits, energies, new SafetyOptions { PositiveLabel = "malignant", TargetSensitivity = 0.9 });
        var point = profile.OperatingPoint!;

        Assert.True(point.ValidationSensitivity >= 0.9);
        // Any higher threshold misses the target: recompute sensitivity just above the chosen one.
        var calibrated = logits.Select(l => SafetyAssessor.Softmax(l, profile.Calibration.Temperature)[1]).ToArray();
        var positives = truth.Count(t => t == 1);
        var above = calibrated.Where(p => p > point.Threshold).Min();
        var sensitivityAbove = (double)calibrated.Where((p, i) => p >= above && truth[i] == 1).Count() / positives;
        Assert.True(sensitivityAbove < 0.9);
        Assert.Equal((double)calibrated.Where((p, i) => p >= point.Threshold && truth[i] == 1).Count() / positives, point.ValidationSensitivity, 12);
    }

    [Fact]
    public void Youden_maximises_sensitivity_plus_specificity_and_no_positives_means_no_operating_point()
    {
        var (truth, logits) = Overconfident(500, 1, seed: 5);
        var energies = logits.Select(l => -Math.Log(l.Sum(Math.Exp))).ToArray();

        var youden = SafetyFitter.Fit(Labels, truth, logits, energies, new SafetyOptions { PositiveLabel = "malignant", Rule = OperatingRule.Youden }).OperatingPoint!;
        var sensitivity = SafetyFitter.Fit(Labels, truth, logits, energies, new SafetyOptions { PositiveLabel = "malignant", TargetSensitivity = 0.99 }).OperatingPoint!;
        var noPositives = SafetyFitter.Fit(Labels, [.. truth.Select(t => t == 1 ? 0 : t)], logits, energies, new SafetyOptions { PositiveLabel = "malignant" });

        Assert.True(youden.ValidationSensitivity + youden.ValidationSpecificity >= sensitivity.ValidationSensitivity + sensitivity.ValidationSpecificity);
        Assert.Null(youden.TargetSensitivity);
        Assert.Null(noPositives.OperatingPoint);
        Assert.Throws<ArgumentException>(() => SafetyFitter.Fit(Labels, truth, logits, energies, new SafetyOptions { PositiveLabel = "cyst" }));
    }
}
