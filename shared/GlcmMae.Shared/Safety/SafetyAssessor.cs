namespace GlcmMae.Shared.Safety;

/// <summary>
/// Turns a model's raw class scores into what serving may say: calibrated probabilities, the out-of-distribution score,
/// abstention and the positive decision. Training fits the profile with the same functions, so the threshold it stores
/// is on the very score serving computes.
/// </summary>
public static class SafetyAssessor
{
    // A probability of exactly 0 has no logarithm; anything below this is as good as impossible.
    private const double SmallestProbability = 1e-12;

    /// <summary>Reads one scan's scores.</summary>
    /// <param name="scores">Logits when <paramref name="scoresAreLogits"/>, else probabilities (a model without a logits output).</param>
    /// <param name="scoresAreLogits">Whether <paramref name="scores"/> are logits.</param>
    /// <param name="profile">The model's profile; null: uncalibrated, never abstains, no decision.</param>
    /// <param name="labels">Class labels, in the scores' order.</param>
    /// <param name="signature">The scan's <see cref="TextureSignature"/> (empty: not computed; the texture distance is then unknown).</param>
    public static SafetyAssessment Assess(ReadOnlySpan<float> scores, bool scoresAreLogits, SafetyProfile? profile, IReadOnlyList<string> labels, ReadOnlySpan<double> signature = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Length != labels.Count)
        {
            throw new ArgumentException($"{scores.Length} scores for {labels.Count} classes.", nameof(scores));
        }

        var logits = LogScores(scores, scoresAreLogits);
        var temperature = profile?.Calibration.Temperature ?? 1;
        var probabilities = Softmax(logits, temperature);
        var best = ArgMax(probabilities);
        var all = new Dictionary<OodScoreKind, double> { [OodScoreKind.MaxProbability] = Score(OodScoreKind.MaxProbability, logits, probabilities, scoresAreLogits) };
        if (scoresAreLogits)
        {
            all[OodScoreKind.Energy] = Score(OodScoreKind.Energy, logits, probabilities, scoresAreLogits);
        }

        if (profile?.Texture is { } texture && signature.Length == texture.Mean.Count)
        {
            all[OodScoreKind.TextureDistance] = texture.Distance(signature);
        }

        var kind = profile?.Abstention?.Score ?? (scoresAreLogits ? OodScoreKind.Energy : OodScoreKind.MaxProbability);
        var ood = all.TryGetValue(kind, out var value) ? value : double.NaN;
        // A score that cannot be computed (energy asked of a model without logits) abstains: never a label on doubt.
        var abstained = profile?.Abstention is { } rule && (double.IsNaN(ood) || ood > rule.Threshold);
        return new SafetyAssessment(probabilities, best, ood, kind, abstained, abstained ? null : Decide(probabilities, profile, labels), all);
    }

    /// <summary>The decision at the profile's operating point: the positive class's calibrated probability at or above its threshold; null without an operating point.</summary>
    public static bool? Decide(IReadOnlyList<double> probabilities, SafetyProfile? profile, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        return profile?.OperatingPoint is { } point && IndexOf(labels, point.PositiveLabel) is var index and >= 0
            ? probabilities[index] >= point.Threshold
            : null;
    }

    /// <summary>Logits, or log probabilities (equal to the logits up to a constant, which softmax ignores).</summary>
    public static double[] LogScores(ReadOnlySpan<float> scores, bool scoresAreLogits)
    {
        var logits = new double[scores.Length];
        for (var c = 0; c < scores.Length; c++)
        {
            logits[c] = scoresAreLogits ? scores[c] : Math.Log(Math.Max(scores[c], SmallestProbability));
        }

        return logits;
    }

    /// <summary>softmax(logits / temperature), computed stably.</summary>
    public static double[] Softmax(ReadOnlySpan<double> logits, double temperature)
    {
        var max = double.NegativeInfinity;
        foreach (var z in logits)
        {
            max = Math.Max(max, z / temperature);
        }

        var probabilities = new double[logits.Length];
        var sum = 0.0;
        for (var c = 0; c < logits.Length; c++)
        {
            probabilities[c] = Math.Exp((logits[c] / temperature) - max);
            sum += probabilities[c];
        }

        for (var c = 0; c < probabilities.Length; c++)
        {
            probabilities[c] /= sum;
        }

        return probabilities;
    }

    /// <summary>The output-based out-of-distribution score of one scan (NaN for energy without logits; the texture distance needs a signature, see <see cref="TextureReference.Distance"/>).</summary>
    public static double Score(OodScoreKind kind, ReadOnlySpan<double> logits, ReadOnlySpan<double> calibrated, bool scoresAreLogits) => kind switch
    {
        OodScoreKind.Energy => scoresAreLogits ? -LogSumExp(logits) : double.NaN,
        OodScoreKind.MaxProbability => 1 - calibrated[ArgMax(calibrated)],
        OodScoreKind.TextureDistance => double.NaN,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown score."),
    };

    private static double LogSumExp(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        var sum = 0.0;
        foreach (var v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var c = 1; c < values.Length; c++)
        {
            best = values[c] > values[best] ? c : best;
        }

        return best;
    }

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (var c = 0; c < labels.Count; c++)
        {
            if (string.Equals(labels[c], label, StringComparison.Ordinal))
            {
                return c;
            }
        }

        return -1;
    }
}
