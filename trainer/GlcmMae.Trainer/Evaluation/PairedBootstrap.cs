namespace GlcmMae.Trainer.Evaluation;

/// <summary>
/// The difference of one figure between two models measured on the same images, with a percentile interval from a
/// paired bootstrap: each resample draws groups (studies) with replacement and recomputes both models' figures on the
/// same draw, so the interval reflects how much the comparison depends on which studies happened to be tested, and the
/// images of a study, which are not independent, move together.
/// </summary>
internal static class PairedBootstrap
{
    /// <summary>Compares <paramref name="candidate"/> with <paramref name="baseline"/> (same images, same order, same truth).</summary>
    /// <param name="candidate">The first model's predictions.</param>
    /// <param name="baseline">The second model's predictions on the same images.</param>
    /// <param name="groups">Each image's group; images of one group are drawn together.</param>
    /// <param name="metric">The figure.</param>
    /// <param name="resamples">Bootstrap resamples.</param>
    /// <param name="level">Interval coverage, e.g. 0.95.</param>
    /// <param name="seed">Seed of the draws: the same inputs and seed give the same interval.</param>
    public static PairedDifference Compare(Predictions candidate, Predictions baseline, IReadOnlyList<string> groups, GateMetric metric, int resamples, double level, int seed)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (level is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The interval's level must lie strictly between 0 and 1.");
        }

        if (candidate.Count != baseline.Count || groups.Count != candidate.Count || !candidate.Truth.AsSpan().SequenceEqual(baseline.Truth))
        {
            throw new ArgumentException("A paired comparison needs both models' predictions on the same images, in the same order, with one group per image.", nameof(baseline));
        }

        var a = metric.Of(ClassificationMetrics.Compute(candidate)) ?? throw new ArgumentException($"{metric.Name()} is undefined on these images (a class is missing).", nameof(candidate));
        var b = metric.Of(ClassificationMetrics.Compute(baseline)) ?? throw new ArgumentException($"{metric.Name()} is undefined on these images (a class is missing).", nameof(baseline));
        var members = groups.Select((g, i) => (g, i)).GroupBy(t => t.g, StringComparer.Ordinal).Select(g => g.Select(t => t.i).ToArray()).ToArray();
        var random = new Random(seed);
        var differences = new List<double>(resamples);
        var indices = new List<int>(candidate.Count * 2);
        for (var r = 0; r < resamples; r++)
        {
            indices.Clear();
            for (var g = 0; g < members.Length; g++)
            {
                indices.AddRange(members[random.Next(members.Length)]);
            }

            var draw = indices.ToArray();
            // A draw can lose a class; where the figure is then undefined for either model, the draw is skipped.
            if (metric.Of(ClassificationMetrics.Compute(candidate.Select(draw))) is { } x && metric.Of(ClassificationMetrics.Compute(baseline.Select(draw))) is { } y)
            {
                differences.Add(x - y);
            }
        }

        if (differences.Count == 0)
        {
            throw new ArgumentException($"No bootstrap draw defined {metric.Name()}; the images are too few to compare.", nameof(groups));
        }

        differences.Sort();
        var alpha = (1 - level) / 2;
        return new PairedDifference(a, b, a - b, Bootstrap.Percentile(differences, alpha), Bootstrap.Percentile(differences, 1 - alpha), members.Length, differences.Count);
    }
}

/// <summary>Two figures on the same images and their difference's interval.</summary>
/// <param name="Candidate">The first model's figure.</param>
/// <param name="Baseline">The second model's figure.</param>
/// <param name="Difference">Candidate minus baseline.</param>
/// <param name="Lower">Lower end of the difference's interval.</param>
/// <param name="Upper">Upper end.</param>
/// <param name="Groups">Groups resampled.</param>
/// <param name="Resamples">Draws that defined the figure for both models.</param>
internal sealed record PairedDifference(double Candidate, double Baseline, double Difference, double Lower, double Upper, int Groups, int Resamples);
