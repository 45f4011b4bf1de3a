namespace GlcmMae.Trainer.Evaluation;

/// <summary>Percentile bootstrap over scans: resample the evaluation set with replacement and recompute each figure.</summary>
internal static class Bootstrap
{
    /// <summary>The figures given intervals, by name (the names the JSON report uses).</summary>
    public static readonly IReadOnlyDictionary<string, Func<ClassificationMetrics, double?>> Figures = new Dictionary<string, Func<ClassificationMetrics, double?>>
    {
        ["accuracy"] = m => m.Accuracy,
        ["balancedAccuracy"] = m => m.BalancedAccuracy,
        ["macroAuroc"] = m => m.MacroAuroc,
        ["positiveAuroc"] = m => m.PositiveAuroc,
        ["positiveSensitivity"] = m => Positive(m)?.Sensitivity,
        ["positiveSpecificity"] = m => Positive(m)?.Specificity,
        ["expectedCalibrationError"] = m => m.ExpectedCalibrationError,
    };

    /// <summary>95% (or <paramref name="level"/>) intervals from <paramref name="resamples"/> seeded resamples; figures undefined on the full set are left out.</summary>
    public static IReadOnlyDictionary<string, ConfidenceInterval> Intervals(Predictions predictions, string? positiveLabel, int resamples = 1000, double level = 0.95, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var full = ClassificationMetrics.Compute(predictions, positiveLabel);
        var samples = Figures.Keys.ToDictionary(k => k, _ => new List<double>(resamples));
        var random = new Random(seed);
        var indices = new int[predictions.Count];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < indices.Length; i++)
            {
                indices[i] = random.Next(predictions.Count);
            }

            var metrics = ClassificationMetrics.Compute(predictions.Select(indices), positiveLabel);
            foreach (var (name, figure) in Figures)
            {
                // A resample can lose a class entirely; its undefined figures are skipped, not counted as zero.
                if (figure(metrics) is { } value)
                {
                    samples[name].Add(value);
                }
            }
        }

        var alpha = (1 - level) / 2;
        var result = new Dictionary<string, ConfidenceInterval>();
        foreach (var (name, figure) in Figures)
        {
            if (figure(full) is not { } estimate || samples[name].Count == 0)
            {
                continue;
            }

            var sorted = samples[name].Order().ToArray();
            result[name] = new ConfidenceInterval(estimate, Percentile(sorted, alpha), Percentile(sorted, 1 - alpha));
        }

        return result;
    }

    /// <summary>Linear-interpolated percentile of sorted values (numpy's default method).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }

    private static ClassMetrics? Positive(ClassificationMetrics metrics) =>
        metrics.PositiveLabel is null ? null : metrics.Classes.FirstOrDefault(c => c.Label == metrics.PositiveLabel);
}
