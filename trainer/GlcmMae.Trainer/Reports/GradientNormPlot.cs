using GlcmMae.Trainer.Evaluation;
using ScottPlot;

namespace GlcmMae.Trainer.Reports;

/// <summary>How hard each weighted loss term pushes the decoder output, per measured step (<see cref="Losses.TermGradientNorms"/>), on a log scale.</summary>
internal static class GradientNormPlot
{
    /// <summary>Writes the PNG and returns its path, or null when no step was measured.</summary>
    public static string? Write(string path, IReadOnlyList<StepMetrics> steps)
    {
        var plot = Build(steps);
        if (plot is null)
        {
            return null;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 500);
        return path;
    }

    /// <summary>One line per enabled term (log10 of the gradient norm); null when no step carries gradients.</summary>
    internal static Plot? Build(IReadOnlyList<StepMetrics> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var measured = steps.Where(s => s.Gradients is not null).ToArray();
        if (measured.Length == 0)
        {
            return null;
        }

        var plot = new Plot();
        foreach (var (name, values) in new (string, Func<Losses.TermGradientNorms, double?>)[]
                 {
                     ("MSE", g => g.Mse), ("GLCM", g => g.Glcm), ("1 - SSIM", g => g.Ssim), ("GLCM features", g => g.Features),
                 })
        {
            var points = measured.Select(s => (X: (double)s.Step, Y: values(s.Gradients!))).Where(p => p.Y is { } y && double.IsFinite(y) && y > 0).ToArray();
            if (points.Length == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => Math.Log10(p.Y!.Value)).ToArray());
            line.LegendText = name;
            line.MarkerSize = points.Length > 50 ? 0 : 4;
        }

        plot.Title("Push of each weighted term on the decoder output");
        plot.XLabel("optimiser step");
        plot.YLabel("gradient L2 norm (log scale)");
        LogAxis.ApplyToLeft(plot);
        plot.ShowLegend();
        plot.Axes.AutoScale();
        return plot;
    }
}
