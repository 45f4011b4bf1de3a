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
    /// <summary>Compares predictions <paramref name="a"/> and <paramref name="b"/> of the same images with true classes <paramref name="truth"/>.</summary>
    /// <param name="truth">True class per image.</param>
    /// <param name="a">A's predicted class per image.</param>
    /// <param name="b">B's predicted class per image.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="resamples">Bootstrap resamples (images drawn with replacement, the same draw for both).</param>
    /// <param name="level">Coverage of the interval.</param>
    /// <param name="seed">Seed of the draws.</param>
    public static PairedComparison Compute(IReadOnlyList<int> truth, IReadOnlyList<int> a, IReadOnlyList<int> b, int classes, int resamples = 2000, double level = 0.95, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var n = truth.Count;
        if (n == 0 || a.Count != n || b.Count != n)
        {
            throw new ArgumentException("A paired comparison needs both predictions for every test image, and at least one image.");
        }

        var all = Enumerable.Range(0, n).ToArray();
        var baA = BalancedAccuracy(truth, a, all, classes);
        var baB = BalancedAccuracy(truth, b, all, classes);
        var random = new Random(seed);
        var differences = new double[resamples];
        var draw = new int[n];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < n; i++)
            {
                draw[i] = random.Next(n);
            }

            differences[r] = BalancedAccuracy(truth, b, draw, classes) - BalancedAccuracy(truth, a, draw, classes);
        }

        Array.Sort(differences);
        var tail = (1 - level) / 2;
        var lower = resamples == 0 ? double.NaN : differences[(int)Math.Floor(tail * (resamples - 1))];
        var upper = resamples == 0 ? double.NaN : differences[(int)Math.Ceiling((1 - tail) * (resamples - 1))];
        var onlyA = all.Count(i => a[i] == truth[i] && b[i] != truth[i]);
        var onlyB = all.Count(i => b[i] == truth[i] && a[i] != truth[i]);
        return new PairedComparison(n, baA, baB, baB - baA, lower, upper, onlyA, onlyB, McNemar(onlyA, onlyB));
    }

    /// <summary>Mean recall over the classes present among <paramref name="images"/> (a class drawn zero times is left out).</summary>
    internal static double BalancedAccuracy(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<int> images, int classes)
    {
        var total = new int[classes];
        var right = new int[classes];
        foreach (var i in images)
        {
            total[truth[i]]++;
            if (predicted[i] == truth[i])
            {
                right[truth[i]]++;
            }
        }

        var present = Enumerable.Range(0, classes).Where(c => total[c] > 0).ToArray();
        return present.Length == 0 ? double.NaN : present.Average(c => (double)right[c] / total[c]);
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
