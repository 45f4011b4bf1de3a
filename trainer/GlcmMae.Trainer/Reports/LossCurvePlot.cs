using GlcmMae.Trainer.Evaluation;
using ScottPlot;

namespace GlcmMae.Trainer.Reports;

/// <summary>Loss curves of a pretraining run: total and each enabled term (unweighted) per optimiser step.</summary>
internal static class LossCurvePlot
{
    /// <summary>Writes the PNG and returns its path.</summary>
    public static string Write(string path, IReadOnlyList<StepMetrics> steps)
    {
        var plot = new Plot();
        var x = steps.Select(s => (double)s.Step).ToArray();
        foreach (var (name, values) in new (string, Func<StepMetrics, double>)[]
                 {
                     ("total", s => s.Loss), ("MSE", s => s.Mse), ("GLCM", s => s.Glcm), ("1 - SSIM", s => s.Ssim), ("GLCM features", s => s.Features),
                 })
        {
            var y = steps.Select(values).ToArray();
            if (y.Length == 0 || y.All(double.IsNaN))
            {
                continue;
            }

            // Terms differ by orders of magnitude (GLCM ~1e-3, SSIM ~1): plot log10 and label ticks as powers of ten.
            y = [.. y.Select(v => v > 0 ? Math.Log10(v) : double.NaN)];

            var line = plot.Add.Scatter(x, y);
            line.LegendText = name;
            line.MarkerSize = steps.Count > 50 ? 0 : 4;
        }

        plot.Title("GLCM-MAE pretraining");
        plot.XLabel("optimiser step");
        plot.YLabel("loss (unweighted terms, log scale)");
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.ShowLegend();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 500);
        return path;
    }
}
