using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Tests.Evaluation;

public sealed class ClassificationMetricsTests
{
    private static readonly string[] Abc = ["a", "b", "c"];

    // Worked by hand: confusion a [1 1 0], b [0 2 0], c [1 0 1].
    private static Predictions Example() => new(
        Abc,
        [0, 0, 1, 1, 2, 2],
        [
            [0.7, 0.2, 0.1],
            [0.3, 0.6, 0.1],
            [0.2, 0.5, 0.3],
            [0.1, 0.8, 0.1],
            [0.1, 0.2, 0.7],
            [0.5, 0.1, 0.4],
        ]);

    [Fact]
    public void Figures_match_hand_computed_values()
    {
        var m = ClassificationMetrics.Compute(Example(), positiveLabel: "b");

        Assert.Equal([[1, 1, 0], [0, 2, 0], [1, 0, 1]], m.ConfusionMatrix);
        Assert.Equal(4.0 / 6, m.Accuracy, 12);
        Assert.Equal((0.5 + 1 + 0.5) / 3, m.BalancedAccuracy, 12);
        var (a, b, c) = (m.Classes[0], m.Classes[1], m.Classes[2]);
        Assert.Equal((2, 2, 0.5, 0.75, 0.5, 0.5), (a.Support, a.Predicted, a.Sensitivity!.Value, a.Specificity!.Value, a.Precision!.Value, a.F1!.Value));
        Assert.Equal(1.0, b.Sensitivity!.Value, 12);
        Assert.Equal(0.75, b.Specificity!.Value, 12);
        Assert.Equal(2.0 / 3, b.Precision!.Value, 12);
        Assert.Equal(0.8, b.F1!.Value, 12);
        Assert.Equal(1.0, c.Precision!.Value, 12);
        Assert.Equal(1.0, c.Specificity!.Value, 12);
        Assert.Equal(2.0 / 3, c.F1!.Value, 12);
        // AUROC: a's positives 0.7 and 0.3 beat 7 of the 8 negative scores, as do b's 0.5 and 0.8; c separates perfectly.
        Assert.Equal(0.875, a.Auroc!.Value, 12);
        Assert.Equal(0.875, b.Auroc!.Value, 12);
        Assert.Equal(1.0, c.Auroc!.Value, 12);
        Assert.Equal(2.75 / 3, m.MacroAuroc!.Value, 12);
        Assert.Equal(0.875, m.PositiveAuroc!.Value, 12);
        // Confidences 0.7 (x2, right), 0.6 (wrong), 0.5 (x2, one right), 0.8 (right), each value in its own bin.
        Assert.Equal((2 * 0.3 / 6) + (0.6 / 6) + 0 + (0.2 / 6), m.ExpectedCalibrationError, 12);
        Assert.Equal(-(Math.Log(0.7) + Math.Log(0.3) + Math.Log(0.5) + Math.Log(0.8) + Math.Log(0.7) + Math.Log(0.4)) / 6, m.LogLoss, 12);
        Assert.Equal(6, m.Calibration.Sum(bin => bin.Count));
    }

    [Theory]
    [InlineData(new[] { 0.5, 0.5, 0.5, 0.5 }, new[] { true, false, true, false }, 0.5)]
    [InlineData(new[] { 0.1, 0.4, 0.35, 0.8 }, new[] { false, false, true, true }, 0.75)]
    [InlineData(new[] { 0.2, 0.2, 0.6, 0.6, 0.9 }, new[] { false, true, false, true, true }, 4.0 / 6)]
    public void Auroc_counts_tied_scores_as_one_half(double[] scores, bool[] positive, double expected)
    {
        Assert.Equal(expected, Auroc.Compute(scores, positive)!.Value, 12);
        var curve = Auroc.Curve(scores, positive);
        Assert.Equal((0.0, 0.0), curve[0]);
        Assert.Equal((1.0, 1.0), curve[^1]);
        // The trapezoids under the curve give the same area: ties become diagonal segments.
        var area = curve.Zip(curve.Skip(1), (p, q) => (q.Fpr - p.Fpr) * (p.Tpr + q.Tpr) / 2).Sum();
        Assert.Equal(expected, area, 12);
    }

    [Fact]
    public void A_class_absent_from_the_set_has_undefined_figures_that_averages_skip()
    {
        // Class c never occurs but is predicted once.
        var predictions = new Predictions(Abc, [0, 0, 1, 1], [[0.8, 0.1, 0.1], [0.2, 0.1, 0.7], [0.1, 0.8, 0.1], [0.3, 0.6, 0.1]]);

        var m = ClassificationMetrics.Compute(predictions, positiveLabel: "c");

        var c = m.Classes[2];
        Assert.Equal(0, c.Support);
        Assert.Equal(1, c.Predicted);
        Assert.Null(c.Sensitivity);
        Assert.Null(c.Auroc);
        Assert.Equal(0.0, c.Precision);
        Assert.Equal(0.75, c.Specificity!.Value, 12);
        Assert.Equal((0.5 + 1.0) / 2, m.BalancedAccuracy, 12);
        Assert.Equal((m.Classes[0].Auroc!.Value + m.Classes[1].Auroc!.Value) / 2, m.MacroAuroc!.Value, 12);
        Assert.Null(m.PositiveAuroc);
    }

    [Fact]
    public void A_set_of_one_class_has_no_auroc_at_all()
    {
        var m = ClassificationMetrics.Compute(new Predictions(["x", "y"], [1, 1], [[0.4, 0.6], [0.7, 0.3]]));

        Assert.Null(m.MacroAuroc);
        Assert.Equal(0.5, m.Accuracy);
        Assert.Equal(0.5, m.BalancedAccuracy);
        Assert.Null(m.Classes[0].Sensitivity);
        Assert.Equal(0.5, m.Classes[1].Sensitivity);
    }

    [Fact]
    public void Unknown_positive_class_is_refused_with_the_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(Example(), "malignant"));
        Assert.Contains("a, b, c", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bootstrap_intervals_are_seeded_and_bracket_the_estimate()
    {
        var random = new Random(3);
        var truth = Enumerable.Range(0, 200).Select(i => i % 2).ToArray();
        var probabilities = truth.Select(t =>
        {
            var p = Math.Clamp((t == 1 ? 0.65 : 0.35) + ((random.NextDouble() - 0.5) * 0.6), 0.01, 0.99);
            return new[] { 1 - p, p };
        }).ToArray();
        var predictions = new Predictions(["neg", "pos"], truth, probabilities);

        var first = Bootstrap.Intervals(predictions, "pos", resamples: 300, seed: 1);
        var again = Bootstrap.Intervals(predictions, "pos", resamples: 300, seed: 1);

        Assert.Equal(first, again);
        foreach (var (name, ci) in first)
        {
            Assert.True(ci.Lower <= ci.Estimate + 1e-12 && ci.Estimate <= ci.Upper + 1e-12 || name == "expectedCalibrationError", name);
            Assert.True(ci.Upper - ci.Lower < 0.3, name);
        }

        Assert.True(first["accuracy"].Upper > first["accuracy"].Lower);
        Assert.Contains("positiveAuroc", first.Keys);
    }

    [Fact]
    public void Percentile_interpolates_like_numpy()
    {
        Assert.Equal(1.75, Bootstrap.Percentile([1.0, 2, 3, 4], 0.25), 12);
        Assert.Equal(4.0, Bootstrap.Percentile([1.0, 2, 3, 4], 1), 12);
    }
}
