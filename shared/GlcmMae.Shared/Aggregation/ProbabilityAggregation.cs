namespace GlcmMae.Shared.Aggregation;

/// <summary>Aggregates class probabilities by an <see cref="AggregationRule"/>: one implementation for frames and for studies.</summary>
public static class ProbabilityAggregation
{
    /// <summary>True when the rule ranks members by the positive class, so it needs to know which class that is.</summary>
    public static bool NeedsPositiveClass(AggregationRule rule) => rule != AggregationRule.Mean;

    /// <summary>Aggregates <paramref name="members"/> (each one probability per class).</summary>
    /// <param name="members">At least one vector, all of the same length.</param>
    /// <param name="rule">The rule.</param>
    /// <param name="positive">Index of the positive class; ignored by <see cref="AggregationRule.Mean"/>, required (0 or more) by the ranking rules.</param>
    /// <param name="topK">k of <see cref="AggregationRule.TopKMean"/> (at least 1; capped at the member count).</param>
    public static AggregatedProbabilities Aggregate(IReadOnlyList<double[]> members, AggregationRule rule, int positive = -1, int topK = 3)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException("Nothing to aggregate.", nameof(members));
        }

        var classes = members[0].Length;
        if (members.Any(m => m.Length != classes))
        {
            throw new ArgumentException("Every member needs one probability per class.", nameof(members));
        }

        if (NeedsPositiveClass(rule) && (positive < 0 || positive >= classes))
        {
            throw new ArgumentOutOfRangeException(nameof(positive), positive, $"The {rule} rule ranks members by the positive class; give its index (0-{classes - 1}).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        IReadOnlyList<int> used = rule switch
        {
            AggregationRule.Mean => Enumerable.Range(0, members.Count).ToArray(),
            // Ties keep input order (a stable sort), so the same members always give the same answer.
            AggregationRule.MaxPositive => [Ranked(members, positive)[0]],
            AggregationRule.TopKMean => Ranked(members, positive)[..Math.Min(topK, members.Count)],
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown aggregation rule."),
        };
        var probabilities = new double[classes];
        foreach (var member in used)
        {
            for (var c = 0; c < classes; c++)
            {
                probabilities[c] += members[member][c] / used.Count;
            }
        }

        return new AggregatedProbabilities(probabilities, used);
    }

    private static int[] Ranked(IReadOnlyList<double[]> members, int positive) =>
        Enumerable.Range(0, members.Count).OrderByDescending(m => members[m][positive]).ToArray();
}
