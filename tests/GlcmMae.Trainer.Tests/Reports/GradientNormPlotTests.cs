using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Losses;
using GlcmMae.Trainer.Reports;

namespace GlcmMae.Trainer.Tests.Reports;

public sealed class GradientNormPlotTests
{
    private static StepMetrics Step(int step, TermGradientNorms? gradients) => new(0, step, 1e-3, 1, 0.1, 0.01, 0.9, 0, 30, 10, step, gradients);

    [Fact]
    public void Each_enabled_term_is_a_line_of_its_measured_steps_on_a_log_axis_fitted_to_them()
    {
        // Measured every other step: the MSE pushes 1e-1, GLCM 1e-3, SSIM 1e-2; features off.
        var steps = Enumerable.Range(0, 10).Select(i => Step(i, i % 2 == 0 ? new TermGradientNorms(0.1, 1e-3, 1e-2, null) : null)).ToArray();

        var plot = GradientNormPlot.Build(steps)!;

        var lines = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToArray();
        Assert.Equal(["MSE", "GLCM", "1 - SSIM"], lines.Select(l => l.LegendText));
        Assert.All(lines, l => Assert.Equal(5, l.Data.GetScatterPoints().Count));
        Assert.Equal(-3, lines[1].Data.GetScatterPoints()[0].Y, 9);
        var limits = plot.Axes.GetLimits();
        Assert.InRange(limits.Bottom, -3.5, -3);
        Assert.InRange(limits.Top, -1, -0.5);
    }

    [Fact]
    public void A_run_that_measured_nothing_has_no_plot()
    {
        Assert.Null(GradientNormPlot.Build([Step(0, null), Step(1, null)]));
    }
}
