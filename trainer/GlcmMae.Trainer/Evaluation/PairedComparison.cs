namespace GlcmMae.Trainer.Evaluation;

/// <summary>
/// Two classifiers judged on the same test images: the difference in balanced accuracy (B - A) with a paired
/// bootstrap interval over images, and McNemar's exact test on the images exactly one of them gets right.
/// </summary>
/// <param name="Images">Test images both classified.</param>
/// <param name="BalancedAccuracyA">A's balanced accuracy.</param>
/// <param name="BalancedAccuracyB">B's balanced accuracy.</param>
/// <param name="Difference">B - A.</param>
/// <param name="Lower">Lower end of the bootstrap interval of the difference.</param>
/// <param name="Upper">Upper end.</param>
/// <param name="OnlyA">Images A gets right and B wrong.</param>
/// <param name="OnlyB">Images B gets right and A wrong.</param>
/// <param name="McNemarP">Two-sided exact McNemar p-value (binomial on the discordant images).</param>
internal sealed record PairedComparison(
    int Images, double BalancedAccuracyA, double BalancedAccuracyB, double Difference, double Lower, double Upper, int OnlyA, int OnlyB, double McNemarP)
{
    /// <summary>Compares predictions <paramref name="a"/> and <paramref name="b"/> of the same images (same order, same truth).</summary>
    /// <param name="a">A's predictions.</param>
    /// <param name="b">B's predictions on the same images.</param>
    /// <param name="resamples">Bootstrap resamples (images drawn with replacement, the same draw for both: <see cref="PairedBootstrap"/>).</param>
    /// <param name="level">Coverage of the interval.</param>
    /// <param name="seed">Seed of the draws.</param>
    public static PairedComparison Compute(Predictions a, Predictions b, int resamples = 2000, double level = 0.95, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        // Every image is its own group: the benchmark's test images are independent files.
        var images = Enumerable.Range(0, a.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var difference = PairedBootstrap.Compare(b, a, images, GateMetric.BalancedAccuracy, resamples, level, seed);
        var onlyA = Enumerable.Range(0, a.Count).Count(i => a.Predicted(i) == a.Truth[i] && b.Predicted(i) != b.Truth[i]);
        var onlyB = Enumerable.Range(0, a.Count).Count(i => b.Predicted(i) == b.Truth[i] && a.Predicted(i) != a.Truth[i]);
        return new PairedComparison(a.Count, difference.Baseline, difference.Candidate, difference.Difference, difference.Lower, difference.Upper, onlyA, onlyB, McNemar(onlyA, onlyB));
    }

    /// <summary>Exact two-sided McNemar: twice the binomial(b + c, 1/2) tail at min(b, c), at most 1.</summary>
    internal static double McNemar(int b, int c)
    {
        var discordant = b + c;
        if (discordant == 0)
        {
            return 1;
        }

        // Sum of C(m, k) / 2^m for k <= min(b, c), in logs to stay finite for large m.
        var m = discordant;
        var k = Math.Min(b, c);
        double tail = 0;
        for (var i = 0; i <= k; i++)
        {
            tail += Math.Exp(LogChoose(m, i) - (m * Math.Log(2)));
        }

        return Math.Min(1, 2 * tail);
    }

    private static double LogChoose(int n, int k)
    {
        double sum = 0;
        for (var i = 1; i <= k; i++)
        {
            sum += Math.Log(n - k + i) - Math.Log(i);
        }

        return sum;
    }
}
