using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Tests.Evaluation;

public sealed class PairedComparisonTests
{
    private static readonly string[] Labels = ["a", "b", "c"];

    /// <summary>Predictions that put all probability on the predicted class.</summary>
    private static Predictions Predicted(int[] truth, int[] predicted) =>
        new(Labels, truth, [.. predicted.Select(p => Enumerable.Range(0, Labels.Length).Select(c => c == p ? 1.0 : 0.0).ToArray())]);

    [Fact]
    public void Mcnemar_is_the_exact_binomial_tail_on_the_discordant_images()
    {
        Assert.Equal(2.0 / 1024, PairedComparison.McNemar(0, 10), 12);
        Assert.Equal(2 * (1 + 12 + 66) / 4096.0, PairedComparison.McNemar(2, 10), 12);
        Assert.Equal(1, PairedComparison.McNemar(5, 5));
        Assert.Equal(1, PairedComparison.McNemar(0, 0));
    }

    [Fact]
    public void Identical_classifiers_differ_by_nothing()
    {
        int[] truth = [0, 1, 2, 0, 1, 2, 0, 1];
        int[] predicted = [0, 1, 1, 0, 2, 2, 0, 1];

        var comparison = PairedComparison.Compute(Predicted(truth, predicted), Predicted(truth, predicted), resamples: 200);

        Assert.Equal(0, comparison.Difference);
        Assert.Equal((0.0, 0.0), (comparison.Lower, comparison.Upper));
        Assert.Equal((0, 0, 1.0), (comparison.OnlyA, comparison.OnlyB, comparison.McNemarP));
    }

    [Fact]
    public void A_classifier_right_where_the_other_is_wrong_wins_with_an_interval_above_zero()
    {
        var random = new Random(3);
        var truth = Enumerable.Range(0, 300).Select(i => i % 3).ToArray();
        // A is right on about half the images, B on those and 30 % of the rest.
        var a = truth.Select(t => random.NextDouble() < 0.5 ? t : (t + 1) % 3).ToArray();
        var b = truth.Select((t, i) => a[i] == t || random.NextDouble() < 0.3 ? t : a[i]).ToArray();

        var comparison = PairedComparison.Compute(Predicted(truth, a), Predicted(truth, b), resamples: 1000, seed: 1);

        Assert.Equal(ClassificationMetrics.Compute(Predicted(truth, b)).BalancedAccuracy - ClassificationMetrics.Compute(Predicted(truth, a)).BalancedAccuracy, comparison.Difference, 12);
        Assert.True(comparison.Lower > 0, $"interval [{comparison.Lower:F3}, {comparison.Upper:F3}]");
        Assert.Equal(0, comparison.OnlyA);
        Assert.True(comparison.McNemarP < 1e-6);
    }
}
