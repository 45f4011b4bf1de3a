using GlcmMae.Testing;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Reports;

namespace GlcmMae.Trainer.Tests.Reports;

/// <summary>The loss curves show curves: the points drawn and the axes fitted to them, not only a file on disk.</summary>
public sealed class LossCurvePlotTests
{
    // The learning rate warms up over 5 steps to 1e-3, then decays.
    private static StepMetrics Step(int step, double mse, double glcm = 0, double ssim = 0) =>
        new(0, step, step < 5 ? 2e-4 * (step + 1) : 1e-3 / (step - 3), mse + glcm + ssim, mse, glcm, ssim, 0, 5, 10, step);

    private static ScottPlot.Plottables.Scatter[] Lines(ScottPlot.Plot plot) =>
        [.. plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Where(l => l.Axes.YAxis != plot.Axes.Right)];

    private static ScottPlot.Plottables.Scatter Rate(ScottPlot.Plot plot) =>
        plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single(l => l.Axes.YAxis == plot.Axes.Right);

    [Fact]
    public void An_mse_only_stage_draws_total_and_mse_and_the_axes_fit_them()
    {
        var steps = Enumerable.Range(0, 10).Select(i => Step(i, 0.5 - (0.045 * i))).ToArray();

        var plot = LossCurvePlot.Build(steps);

        var lines = Lines(plot);
        Assert.Equal(["total", "MSE"], lines.Select(l => l.LegendText));
        Assert.All(lines, l => Assert.Equal(10, l.Data.GetScatterPoints().Count(p => double.IsFinite(p.Y))));
        var limits = plot.Axes.GetLimits();
        Assert.InRange(limits.Left, -1, 0);
        Assert.InRange(limits.Right, 9, 10);
        // log10 of 0.095 .. 0.5, with a margin; never the empty plot's -10..10.
        Assert.InRange(limits.Bottom, -1.2, Math.Log10(0.095));
        Assert.InRange(limits.Top, Math.Log10(0.5), 0);
        // The learning rate, on the right axis, fitted to its own range.
        var rate = Rate(plot);
        Assert.Equal(10, rate.Data.GetScatterPoints().Count);
        var right = plot.Axes.GetLimits(plot.Axes.Bottom, plot.Axes.Right);
        Assert.InRange(right.Top, 1e-3, 2e-3);
        Assert.InRange(right.Bottom, 0, 2e-4);
    }

    [Fact]
    public void A_glcm_stage_draws_every_term_it_uses_even_when_they_differ_by_orders_of_magnitude_and_writes_the_png()
    {
        var steps = Enumerable.Range(0, 60).Select(i => Step(i, 0.05, glcm: 0.0064 - (1e-5 * i), ssim: 0.94)).ToArray();
        using var temp = new TempFolder();

        var plot = LossCurvePlot.Build(steps);
        var path = LossCurvePlot.Write(Path.Combine(temp.Path, "loss-curves.png"), steps);

        Assert.Equal(["total", "MSE", "GLCM", "1 - SSIM"], Lines(plot).Select(l => l.LegendText));
        var limits = plot.Axes.GetLimits();
        Assert.True(limits.Bottom <= Math.Log10(0.0064 - 59e-5) && limits.Top >= Math.Log10(0.9964), $"{limits}");
        Assert.True(new FileInfo(path).Length > 5_000);
    }

    [Fact]
    public void No_steps_draw_no_lines()
    {
        Assert.Empty(LossCurvePlot.Build([]).GetPlottables());
    }
}
