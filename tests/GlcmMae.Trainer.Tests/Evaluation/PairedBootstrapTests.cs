using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Tests.Evaluation;

public sealed class PairedBootstrapTests
{
    private static readonly string[] Labels = ["benign", "malignant"];

    /// <summary>Confident predictions: image i is predicted right unless <paramref name="wrong"/> says otherwise.</summary>
    private static Predictions Model(int[] truth, Func<int, bool> wrong) => new(
        Labels,
        truth,
        [.. truth.Select((t, i) => (wrong(i) ? 1 - t : t) == 0 ? new[] { 0.9, 0.1 } : [0.1, 0.9])]);

    private static int[] Truth(int count) => [.. Enumerable.Range(0, count).Select(i => i % 2)];

    private static string[] OneGroupEach(int count) => [.. Enumerable.Range(0, count).Select(i => $"study-{i}")];

    [Fact]
    public void Identical_models_differ_by_exactly_zero()
    {
        var truth = Truth(60);
        var model = Model(truth, i => i % 5 == 0);

        var result = PairedBootstrap.Compare(model, model, OneGroupEach(60), GateMetric.BalancedAccuracy, 500, 0.95, seed: 1);

        Assert.Equal(0, result.Difference);
        Assert.Equal(0, result.Lower);
        Assert.Equal(0, result.Upper);
        Assert.Equal(60, result.Groups);
    }

    [Fact]
    public void A_model_right_where_the_other_is_wrong_is_better_and_the_interval_excludes_zero()
    {
        var truth = Truth(200);
        var better = Model(truth, i => i % 10 == 0);
        var worse = Model(truth, i => i % 10 == 0 || i % 10 == 1 || i % 10 == 2);

        var result = PairedBootstrap.Compare(better, worse, OneGroupEach(200), GateMetric.Accuracy, 1000, 0.95, seed: 3);

        Assert.Equal(0.9, result.Candidate, 10);
        Assert.Equal(0.7, result.Baseline, 10);
        Assert.Equal(0.2, result.Difference, 10);
        Assert.InRange(result.Lower, 0.1, 0.2);
        Assert.InRange(result.Upper, 0.2, 0.3);
        var reversed = PairedBootstrap.Compare(worse, better, OneGroupEach(200), GateMetric.Accuracy, 1000, 0.95, seed: 3);
        Assert.Equal(-0.2, reversed.Difference, 10);
        Assert.True(reversed.Upper < 0);
    }

    [Fact]
    public void Pairing_makes_the_interval_narrower_than_the_two_figures_intervals_would_suggest()
    {
        // Both models get the same hard cases wrong and differ on 4 images of 100: unpaired, their 95% intervals
        // would overlap widely; paired, only the 4 disagreements move the difference.
        var truth = Truth(100);
        var a = Model(truth, i => i % 4 == 0);
        var b = Model(truth, i => i % 4 == 0 || i is 1 or 3 or 5 or 7);

        var result = PairedBootstrap.Compare(a, b, OneGroupEach(100), GateMetric.Accuracy, 2000, 0.95, seed: 5);

        Assert.Equal(0.04, result.Difference, 10);
        Assert.True(result.Lower >= 0, $"lower {result.Lower}");
        Assert.True(result.Upper - result.Lower < 0.1, $"interval {result.Lower} to {result.Upper}");
    }

    [Fact]
    public void Images_of_one_study_are_drawn_together()
    {
        var truth = Truth(40);
        var a = Model(truth, _ => false);
        var b = Model(truth, i => i < 20);
        var twoStudies = Enumerable.Range(0, 40).Select(i => i < 20 ? "study-a" : "study-b").ToArray();

        var result = PairedBootstrap.Compare(a, b, twoStudies, GateMetric.Accuracy, 500, 0.95, seed: 2);

        // Two studies: a draw is {a,a}, {a,b} or {b,b}; the difference is 1, 0.5 or 0, never anything between.
        Assert.Equal(2, result.Groups);
        Assert.Equal(0.5, result.Difference, 10);
        Assert.Contains(result.Lower, new[] { 0.0, 0.5, 1.0 });
        Assert.Contains(result.Upper, new[] { 0.0, 0.5, 1.0 });
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval()
    {
        var truth = Truth(80);
        var a = Model(truth, i => i % 7 == 0);
        var b = Model(truth, i => i % 5 == 0);

        var first = PairedBootstrap.Compare(a, b, OneGroupEach(80), GateMetric.BalancedAccuracy, 300, 0.9, seed: 11);
        var second = PairedBootstrap.Compare(a, b, OneGroupEach(80), GateMetric.BalancedAccuracy, 300, 0.9, seed: 11);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Predictions_on_different_images_are_refused()
    {
        var a = Model(Truth(10), _ => false);
        var b = Model([.. Truth(10).Select(t => 1 - t)], _ => false);

        Assert.Throws<ArgumentException>(() => PairedBootstrap.Compare(a, b, OneGroupEach(10), GateMetric.Accuracy, 100, 0.95, 0));
        Assert.Throws<ArgumentException>(() => PairedBootstrap.Compare(a, a, OneGroupEach(9), GateMetric.Accuracy, 100, 0.95, 0));
    }
}
