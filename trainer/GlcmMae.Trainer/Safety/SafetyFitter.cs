using GlcmMae.Shared.Safety;
using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Safety;

/// <summary>
/// Fits a <see cref="SafetyProfile"/> to validation outputs: the temperature that minimises the negative log-likelihood,
/// the out-of-distribution threshold that keeps the asked share of validation scans, and the positive class's threshold.
/// </summary>
internal static class SafetyFitter
{
    private const double LowestTemperature = 0.05;
    private const double HighestTemperature = 20;

    /// <summary>Fits the profile.</summary>
    /// <param name="labels">Class labels.</param>
    /// <param name="truth">True class per scan.</param>
    /// <param name="logits">Per scan, logits (or log probabilities: the same up to a constant per scan).</param>
    /// <param name="energies">Per scan, the energy score serving computed (NaN where the graph has no logits).</param>
    /// <param name="options">Keep rate, score, operating point.</param>
    /// <param name="texture">The training scans' texture statistics, when they were fitted.</param>
    /// <param name="textureDistances">Per scan, the texture distance serving computed from <paramref name="texture"/> (null without it).</param>
    public static SafetyProfile Fit(IReadOnlyList<string> labels, int[] truth, double[][] logits, double[] energies, SafetyOptions options, TextureReference? texture = null, double[]? textureDistances = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(energies);
        ArgumentNullException.ThrowIfNull(options);
        if (truth.Length != logits.Length || truth.Length != energies.Length || truth.Length == 0)
        {
            throw new ArgumentException("Truth, logits and energies need one entry per scan, and at least one scan.", nameof(logits));
        }

        var temperature = FitTemperature(truth, logits);
        var before = Calibrated(logits, 1);
        var after = Calibrated(logits, temperature);
        var calibration = new TemperatureCalibration(
            temperature,
            Ece(labels, truth, before),
            Ece(labels, truth, after),
            NegativeLogLikelihood(truth, logits, 1),
            NegativeLogLikelihood(truth, logits, temperature));
        return new SafetyProfile
        {
            Scans = truth.Length,
            Calibration = calibration,
            Texture = texture,
            Abstention = Abstention(logits, after, energies, texture is null ? null : textureDistances, options),
            OperatingPoint = options.PositiveLabel is { } positive ? ChooseOperatingPoint(labels, truth, after, positive, options) : null,
        };
    }

    /// <summary>The temperature in [0.05, 20] minimising the mean negative log-likelihood (golden-section search on log T; the NLL is unimodal in it).</summary>
    public static double FitTemperature(int[] truth, double[][] logits)
    {
        var (low, high) = (Math.Log(LowestTemperature), Math.Log(HighestTemperature));
        var ratio = (Math.Sqrt(5) - 1) / 2;
        var a = high - (ratio * (high - low));
        var b = low + (ratio * (high - low));
        var (fa, fb) = (NegativeLogLikelihood(truth, logits, Math.Exp(a)), NegativeLogLikelihood(truth, logits, Math.Exp(b)));
        for (var i = 0; i < 80 && high - low > 1e-6; i++)
        {
            if (fa <= fb)
            {
                (high, b, fb) = (b, a, fa);
                a = high - (ratio * (high - low));
                fa = NegativeLogLikelihood(truth, logits, Math.Exp(a));
            }
            else
            {
                (low, a, fa) = (a, b, fb);
                b = low + (ratio * (high - low));
                fb = NegativeLogLikelihood(truth, logits, Math.Exp(b));
            }
        }

        return Math.Exp((low + high) / 2);
    }

    /// <summary>Mean -log softmax(logits / T)[truth].</summary>
    public static double NegativeLogLikelihood(int[] truth, double[][] logits, double temperature)
    {
        var sum = 0.0;
        for (var i = 0; i < truth.Length; i++)
        {
            var p = SafetyAssessor.Softmax(logits[i], temperature)[truth[i]];
            sum -= Math.Log(Math.Max(p, 1e-300));
        }

        return sum / truth.Length;
    }

    /// <summary>The threshold keeping <see cref="SafetyOptions.KeepRate"/> of the scans: the smallest score at or above which that share lies.</summary>
    public static double KeepThreshold(IReadOnlyList<double> scores, double keepRate)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var sorted = scores.Order().ToArray();
        var index = Math.Clamp((int)Math.Ceiling(keepRate * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[index];
    }

    private static AbstentionRule? Abstention(double[][] logits, double[][] calibrated, double[] energies, double[]? textureDistances, SafetyOptions options)
    {
        // A score that cannot be computed falls back: the texture distance to energy (no training statistics), energy to
        // the maximum probability (a graph without logits).
        var kind = options.OodScore;
        if (kind == OodScoreKind.TextureDistance && (textureDistances is null || textureDistances.Any(double.IsNaN)))
        {
            kind = OodScoreKind.Energy;
        }

        if (kind == OodScoreKind.Energy && energies.Any(double.IsNaN))
        {
            kind = OodScoreKind.MaxProbability;
        }

        var scores = kind switch
        {
            OodScoreKind.TextureDistance => textureDistances!,
            OodScoreKind.Energy => energies,
            _ => [.. calibrated.Select((p, i) => SafetyAssessor.Score(OodScoreKind.MaxProbability, logits[i], p, scoresAreLogits: true))],
        };
        var threshold = KeepThreshold(scores, options.KeepRate);
        var kept = (double)scores.Count(s => s <= threshold) / scores.Length;
        return new AbstentionRule(kind, threshold, options.KeepRate, kept);
    }

    private static OperatingPoint? ChooseOperatingPoint(IReadOnlyList<string> labels, int[] truth, double[][] calibrated, string positive, SafetyOptions options)
    {
        var index = labels.ToList().IndexOf(positive);
        if (index < 0)
        {
            throw new ArgumentException($"--positive {positive} is not one of the model's classes ({string.Join(", ", labels)}).", nameof(positive));
        }

        var positives = truth.Count(t => t == index);
        var negatives = truth.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            // Sensitivity or specificity cannot be measured: no operating point rather than an invented one.
            return null;
        }

        var scores = calibrated.Select(p => p[index]).ToArray();
        var candidates = scores.Distinct().OrderDescending().ToArray();
        (double Threshold, double Sensitivity, double Specificity)? chosen = null;
        foreach (var threshold in candidates)
        {
            var truePositives = scores.Where((s, i) => s >= threshold && truth[i] == index).Count();
            var trueNegatives = scores.Where((s, i) => s < threshold && truth[i] != index).Count();
            var (sensitivity, specificity) = ((double)truePositives / positives, (double)trueNegatives / negatives);
            if (options.Rule == OperatingRule.Sensitivity)
            {
                if (sensitivity >= options.TargetSensitivity)
                {
                    // The highest threshold that reaches the target: candidates run from high to low.
                    chosen = (threshold, sensitivity, specificity);
                    break;
                }
            }
            else if (chosen is null || sensitivity + specificity > chosen.Value.Sensitivity + chosen.Value.Specificity)
            {
                chosen = (threshold, sensitivity, specificity);
            }
        }

        return chosen is { } point
            ? new OperatingPoint(positive, point.Threshold, options.Rule, options.Rule == OperatingRule.Sensitivity ? options.TargetSensitivity : null, point.Sensitivity, point.Specificity)
            : null;
    }

    private static double[][] Calibrated(double[][] logits, double temperature) => [.. logits.Select(l => SafetyAssessor.Softmax(l, temperature))];

    private static double Ece(IReadOnlyList<string> labels, int[] truth, double[][] probabilities) =>
        ClassificationMetrics.Compute(new Predictions(labels, truth, probabilities)).ExpectedCalibrationError;
}
