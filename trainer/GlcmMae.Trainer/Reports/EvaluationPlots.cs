using System.Globalization;
using GlcmMae.Trainer.Evaluation;
using ScottPlot;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Trainer.Reports;

/// <summary>The PNG plots of an evaluation report.</summary>
internal static class EvaluationPlots
{
    private const int Width = 700;
    private const int Height = 500;

    /// <summary>Training and validation loss, and validation accuracy, per epoch.</summary>
    public static void Curves(string path, IReadOnlyList<FinetuneEpoch> history)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var x = history.Select(e => (double)e.Epoch).ToArray();
        var loss = multiplot.GetPlot(0);
        Line(loss, x, history.Select(e => e.TrainLoss), "train (smoothed labels, augmented)");
        Line(loss, x, history.Select(e => e.ValidationLoss), "validation");
        loss.Title("Cross-entropy");
        loss.XLabel("epoch");
        loss.ShowLegend();
        var accuracy = multiplot.GetPlot(1);
        Line(accuracy, x, history.Select(e => e.TrainAccuracy), "train accuracy");
        Line(accuracy, x, history.Select(e => e.ValidationAccuracy), "validation accuracy");
        Line(accuracy, x, history.Select(e => e.ValidationBalancedAccuracy), "validation balanced accuracy");
        if (history.Any(e => e.Selected))
        {
            var marker = accuracy.Add.VerticalLine(history.Last(e => e.Selected).Epoch);
            marker.LegendText = "selected epoch";
            marker.LinePattern = LinePattern.Dashed;
        }

        accuracy.Title("Accuracy");
        accuracy.XLabel("epoch");
        accuracy.Axes.SetLimitsY(0, 1.05);
        accuracy.ShowLegend();
        Save(multiplot, path, Width * 2, Height);
    }

    /// <summary>Confusion matrix: counts, shaded by the fraction of each true class.</summary>
    public static void Confusion(string path, ClassificationMetrics metrics)
    {
        var plot = new Plot();
        var k = metrics.Labels.Count;
        var colormap = new ScottPlot.Colormaps.Blues();
        for (var t = 0; t < k; t++)
        {
            var support = Math.Max(1, metrics.ConfusionMatrix[t].Sum());
            for (var p = 0; p < k; p++)
            {
                var count = metrics.ConfusionMatrix[t][p];
                var fraction = (double)count / support;
                // True classes top to bottom, predicted left to right, as sklearn draws it.
                var row = k - 1 - t;
                var cell = plot.Add.Rectangle(p, p + 1, row, row + 1);
                // ScottPlot's Blues runs dark to light; the darkest cell should be the largest share.
                cell.FillStyle.Color = colormap.GetColor(1 - fraction);
                cell.LineStyle.Width = 0;
                var text = plot.Add.Text(count.ToString(CultureInfo.InvariantCulture), p + 0.5, row + 0.5);
                text.LabelFontSize = 18;
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = fraction > 0.5 ? Colors.White : Colors.Black;
            }
        }

        var ticks = Enumerable.Range(0, k).Select(i => i + 0.5).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, [.. metrics.Labels]);
        plot.Axes.Left.SetTicks(ticks, [.. metrics.Labels.Reverse()]);
        plot.Axes.SetLimits(0, k, 0, k);
        plot.XLabel("predicted");
        plot.YLabel("true");
        plot.Title("Confusion matrix");
        Save(plot, path, Height, Height);
    }

    /// <summary>One-vs-rest ROC curves with their areas, and the operating point when one is given (its label, 1 - specificity, sensitivity).</summary>
    public static void Roc(string path, Predictions predictions, ClassificationMetrics metrics, (string Label, double Fpr, double Tpr)? operatingPoint = null)
    {
        var plot = new Plot();
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = LinePattern.Dotted;
        diagonal.LineColor = Colors.Gray;
        for (var c = 0; c < predictions.Labels.Count; c++)
        {
            var scores = predictions.Probabilities.Select(row => row[c]).ToArray();
            var positive = predictions.Truth.Select(t => t == c).ToArray();
            if (metrics.Classes[c].Auroc is not { } area)
            {
                continue;
            }

            var curve = Auroc.Curve(scores, positive);
            var line = plot.Add.ScatterLine(curve.Select(p => p.Fpr).ToArray(), curve.Select(p => p.Tpr).ToArray());
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{predictions.Labels[c]} (AUROC {area:F3})");
            line.LineWidth = 2;
        }

        if (operatingPoint is { } point)
        {
            var marker = plot.Add.Marker(point.Fpr, point.Tpr, MarkerShape.FilledCircle, 10);
            marker.LegendText = string.Create(CultureInfo.InvariantCulture, $"operating point ({point.Label}: sensitivity {point.Tpr:F2}, specificity {1 - point.Fpr:F2})");
        }

        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.XLabel("false positive rate (1 - specificity)");
        plot.YLabel("true positive rate (sensitivity)");
        plot.Title("ROC, one class vs the rest");
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path, Width, Height);
    }

    /// <summary>Reliability diagram: accuracy against confidence per bin, with bin counts.</summary>
    public static void Reliability(string path, ClassificationMetrics metrics)
    {
        var plot = new Plot();
        var used = metrics.Calibration.Where(b => b.Count > 0).ToArray();
        var bars = plot.Add.Bars(used.Select(b => (b.Lower + b.Upper) / 2).ToArray(), used.Select(b => b.Accuracy).ToArray());
        foreach (var bar in bars.Bars)
        {
            bar.Size = 1.0 / ClassificationMetrics.CalibrationBins * 0.9;
        }

        bars.LegendText = "accuracy per confidence bin";
        var ideal = plot.Add.Line(0, 0, 1, 1);
        ideal.LinePattern = LinePattern.Dashed;
        ideal.LegendText = "perfect calibration";
        var confidence = plot.Add.Scatter(used.Select(b => (b.Lower + b.Upper) / 2).ToArray(), used.Select(b => b.MeanConfidence).ToArray());
        confidence.LegendText = "mean confidence";
        confidence.LineWidth = 0;
        plot.Axes.SetLimits(0, 1, 0, 1.05);
        plot.XLabel("top-class confidence");
        plot.YLabel("accuracy");
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Reliability (ECE {metrics.ExpectedCalibrationError:F3})"));
        plot.ShowLegend(Alignment.UpperLeft);
        Save(plot, path, Width, Height);
    }

    /// <summary>Up to <paramref name="max"/> misclassified images (channel 0, each scaled over its own range) in a grid; returns how many it drew.</summary>
    public static int Misclassified(string path, IReadOnlyList<float[]> images, int size, int columns = 6, int max = 24)
    {
        var count = Math.Min(max, images.Count);
        if (count == 0)
        {
            return 0;
        }

        const int gap = 4;
        var rows = (count + columns - 1) / columns;
        var used = Math.Min(columns, count);
        using var canvas = new Image<L8>((used * size) + ((used - 1) * gap), (rows * size) + ((rows - 1) * gap), new L8(255));
        for (var i = 0; i < count; i++)
        {
            var plane = images[i].AsSpan(0, size * size);
            var (low, high) = (float.MaxValue, float.MinValue);
            foreach (var v in plane)
            {
                (low, high) = (Math.Min(low, v), Math.Max(high, v));
            }

            high = Math.Max(high, low + 1e-6f);
            var (ox, oy) = ((i % columns) * (size + gap), (i / columns) * (size + gap));
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    canvas[ox + x, oy + y] = new L8((byte)Math.Round(Math.Clamp((plane[(y * size) + x] - low) / (high - low), 0, 1) * 255));
                }
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        canvas.SaveAsPng(path);
        return count;
    }

    private static void Line(Plot plot, double[] x, IEnumerable<double> y, string label)
    {
        var line = plot.Add.Scatter(x, y.ToArray());
        line.LegendText = label;
        line.MarkerSize = x.Length > 40 ? 0 : 4;
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, width, height);
    }

    private static void Save(Multiplot plot, string path, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, width, height);
    }
}
