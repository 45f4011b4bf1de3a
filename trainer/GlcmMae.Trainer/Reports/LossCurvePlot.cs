using GlcmMae.Trainer.Evaluation;
using ScottPlot;

namespace GlcmMae.Trainer.Reports;

/// <summary>Loss curves of a pretraining run: total and each enabled term (unweighted) per optimiser step, and the learning rate.</summary>
internal static class LossCurvePlot
{
    /// <summary>Writes the PNG and returns its path.</summary>
    public static string Write(string path, IReadOnlyList<StepMetrics> steps)
    {
        var plot = Build(steps);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 500);
        return path;
    }

    /// <summary>
    /// The plot: one line per term with a positive value, on log10 (terms differ by orders of magnitude: GLCM ~1e-3,
    /// SSIM ~1), the axes fitted to the points drawn.
    /// </summary>
    /// <remarks>
    /// Terms a stage does not use are zero, and a zero has no logarithm: such points are left out, and a term with none
    /// left is not drawn at all. A line of nothing but NaN once made the axes fall back to -10..10 with no curve in sight.
    /// </remarks>
    internal static Plot Build(IReadOnlyList<StepMetrics> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var plot = new Plot();
        foreach (var (name, values) in new (string, Func<StepMetrics, double>)[]
                 {
                     ("total", s => s.Loss), ("MSE", s => s.Mse), ("GLCM", s => s.Glcm), ("1 - SSIM", s => s.Ssim), ("GLCM features", s => s.Features),
                 })
        {
            var points = steps.Select(s => (X: (double)s.Step, Y: values(s))).Where(p => double.IsFinite(p.Y) && p.Y > 0).ToArray();
            if (points.Length == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => Math.Log10(p.Y)).ToArray());
            line.LegendText = name;
            line.MarkerSize = points.Length > 50 ? 0 : 4;
        }

        // The learning rate on its own (linear) axis at the right: warm-up and decay explain many bends in the curves.
        var rates = steps.Where(s => double.IsFinite(s.LearningRate) && s.LearningRate > 0).ToArray();
        if (rates.Length > 0)
        {
            var rate = plot.Add.Scatter(rates.Select(s => (double)s.Step).ToArray(), rates.Select(s => s.LearningRate).ToArray());
            rate.LegendText = "learning rate (right axis)";
            rate.LinePattern = LinePattern.Dashed;
            rate.MarkerSize = 0;
            rate.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "learning rate";
        }

        plot.Title("GLCM-MAE pretraining");
        plot.XLabel("optimiser step");
        plot.YLabel("loss (unweighted terms, log scale)");
        LogAxis.ApplyToLeft(plot);
        plot.ShowLegend();
        plot.Axes.AutoScale();
        return plot;
    }
}
