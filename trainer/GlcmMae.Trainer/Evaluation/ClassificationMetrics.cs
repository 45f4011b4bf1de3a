using GlcmMae.Trainer.Data;

namespace GlcmMae.Trainer.Evaluation;

/// <summary>What a classifier achieved on one evaluation set.</summary>
internal sealed record ClassificationMetrics
{
    /// <summary>Bins of the expected calibration error (equal width over top-class confidence).</summary>
    public const int CalibrationBins = 15;

    public required int Count { get; init; }

    public required IReadOnlyList<string> Labels { get; init; }

    public required double Accuracy { get; init; }

    /// <summary>Mean sensitivity over the classes present in the set.</summary>
    public required double BalancedAccuracy { get; init; }

    /// <summary>Mean one-vs-rest AUROC over the classes where it is defined; null when it is defined for none.</summary>
    public required double? MacroAuroc { get; init; }

    /// <summary>The class of interest for binary figures (e.g. malignant), if one was named.</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>AUROC of the positive class's probability against all other classes.</summary>
    public double? PositiveAuroc { get; init; }

    /// <summary>Expected calibration error of the top-class confidence.</summary>
    public required double ExpectedCalibrationError { get; init; }

    /// <summary>Mean negative log-likelihood of the true class.</summary>
    public required double LogLoss { get; init; }

    public required IReadOnlyList<ClassMetrics> Classes { get; init; }

    /// <summary>Counts by [true class][predicted class].</summary>
    public required int[][] ConfusionMatrix { get; init; }

    public required IReadOnlyList<CalibrationBin> Calibration { get; init; }

    /// <summary>Computes every figure; <paramref name="positiveLabel"/> must be one of the labels when given.</summary>
    public static ClassificationMetrics Compute(Predictions predictions, string? positiveLabel = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        if (predictions.Count == 0)
        {
            throw new ArgumentException("No predictions to evaluate.", nameof(predictions));
        }

        var labels = predictions.Labels;
        var k = labels.Count;
        var n = predictions.Count;
        var confusion = new int[k][];
        for (var c = 0; c < k; c++)
        {
            confusion[c] = new int[k];
        }

        var correct = 0;
        double logLoss = 0;
        var predicted = new int[n];
        for (var i = 0; i < n; i++)
        {
            predicted[i] = predictions.Predicted(i);
            confusion[predictions.Truth[i]][predicted[i]]++;
            correct += predicted[i] == predictions.Truth[i] ? 1 : 0;
            logLoss -= Math.Log(Math.Max(predictions.Probabilities[i][predictions.Truth[i]], 1e-15));
        }

        var classes = new ClassMetrics[k];
        var scores = new double[n];
        var isClass = new bool[n];
        for (var c = 0; c < k; c++)
        {
            var tp = confusion[c][c];
            var support = confusion[c].Sum();
            var predictedCount = confusion.Sum(row => row[c]);
            var fp = predictedCount - tp;
            var fn = support - tp;
            var tn = n - tp - fp - fn;
            for (var i = 0; i < n; i++)
            {
                scores[i] = predictions.Probabilities[i][c];
                isClass[i] = predictions.Truth[i] == c;
            }

            double? sensitivity = support > 0 ? (double)tp / support : null;
            double? specificity = tn + fp > 0 ? (double)tn / (tn + fp) : null;
            // An empty denominator scores 0, as sklearn's zero_division=0: never predicting a class earns nothing.
            double? precision = predictedCount > 0 ? (double)tp / predictedCount : support > 0 ? 0 : null;
            double? f1 = sensitivity is { } r && precision is { } p ? (r + p > 0 ? 2 * p * r / (p + r) : 0) : null;
            classes[c] = new ClassMetrics(labels[c], support, predictedCount, sensitivity, specificity, precision, f1, Auroc.Compute(scores, isClass));
        }

        var recalls = classes.Where(c => c.Sensitivity is not null).Select(c => c.Sensitivity!.Value).ToArray();
        var aurocs = classes.Where(c => c.Auroc is not null).Select(c => c.Auroc!.Value).ToArray();
        double? positiveAuroc = null;
        if (positiveLabel is not null)
        {
            var index = IndexOf(labels, positiveLabel);
            positiveAuroc = classes[index].Auroc;
        }

        var calibration = Calibrate(predictions, predicted);
        return new ClassificationMetrics
        {
            Count = n,
            Labels = labels,
            Accuracy = (double)correct / n,
            BalancedAccuracy = recalls.Average(),
            MacroAuroc = aurocs.Length > 0 ? aurocs.Average() : null,
            PositiveLabel = positiveLabel,
            PositiveAuroc = positiveAuroc,
            ExpectedCalibrationError = calibration.Sum(b => b.Count * Math.Abs(b.Accuracy - b.MeanConfidence)) / n,
            LogLoss = logLoss / n,
            Classes = classes,
            ConfusionMatrix = confusion,
            Calibration = calibration,
        };
    }

    /// <summary>Position of a label, with an error that lists the choices.</summary>
    public static int IndexOf(IReadOnlyList<string> labels, string label) =>
        LabelListExtensions.IndexOf(labels, label) is >= 0 and var index
            ? index
            : throw new ArgumentException($"Class '{label}' is not one of the model's labels ({string.Join(", ", labels)}).", nameof(label));

    private static CalibrationBin[] Calibrate(Predictions predictions, int[] predicted)
    {
        var counts = new int[CalibrationBins];
        var confidence = new double[CalibrationBins];
        var hits = new int[CalibrationBins];
        for (var i = 0; i < predictions.Count; i++)
        {
            var p = predictions.Probabilities[i][predicted[i]];
            // Bins are (lower, upper]; a confidence of exactly 0 joins the first bin.
            var bin = Math.Clamp((int)Math.Ceiling(p * CalibrationBins) - 1, 0, CalibrationBins - 1);
            counts[bin]++;
            confidence[bin] += p;
            hits[bin] += predicted[i] == predictions.Truth[i] ? 1 : 0;
        }

        return [.. Enumerable.Range(0, CalibrationBins).Select(b => new CalibrationBin(
            (double)b / CalibrationBins,
            (double)(b + 1) / CalibrationBins,
            counts[b],
            counts[b] > 0 ? confidence[b] / counts[b] : 0,
            counts[b] > 0 ? (double)hits[b] / counts[b] : 0))];
    }
}
