namespace GlcmMae.Trainer.Evaluation;

/// <summary>Area under the ROC curve by the Mann-Whitney statistic: tied scores count one half, as sklearn's roc_auc_score does.</summary>
internal static class Auroc
{
    /// <summary>AUROC of <paramref name="scores"/> for the positives; null when either class is absent (the area is undefined).</summary>
    public static double? Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        var n = scores.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        Array.Sort(keys, order);
        long positives = 0;
        double rankSum = 0;
        var start = 0;
        while (start < n)
        {
            var end = start;
            while (end + 1 < n && keys[end + 1] == keys[start])
            {
                end++;
            }

            // Average 1-based rank of the tie group.
            var rank = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                if (positive[order[k]])
                {
                    positives++;
                    rankSum += rank;
                }
            }

            start = end + 1;
        }

        var negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }

        return (rankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }

    /// <summary>ROC points (false positive rate, true positive rate) from the highest threshold down, one point per distinct score.</summary>
    public static IReadOnlyList<(double Fpr, double Tpr)> Curve(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        var n = scores.Length;
        var order = Enumerable.Range(0, n).ToArray();
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        Array.Reverse(keys);
        Array.Reverse(order);
        var positives = 0;
        foreach (var p in positive)
        {
            positives += p ? 1 : 0;
        }

        var negatives = n - positives;
        var points = new List<(double, double)> { (0, 0) };
        if (positives == 0 || negatives == 0)
        {
            return points;
        }

        var (tp, fp) = (0, 0);
        for (var i = 0; i < n; i++)
        {
            if (positive[order[i]])
            {
                tp++;
            }
            else
            {
                fp++;
            }

            if (i == n - 1 || keys[i + 1] != keys[i])
            {
                points.Add(((double)fp / negatives, (double)tp / positives));
            }
        }

        return points;
    }
}
