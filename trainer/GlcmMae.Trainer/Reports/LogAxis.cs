using System.Globalization;
using ScottPlot;

namespace GlcmMae.Trainer.Reports;

/// <summary>A left axis for values plotted as log10: ticks at whole powers of ten, labelled with the values themselves.</summary>
internal static class LogAxis
{
    /// <summary>Makes <paramref name="plot"/>'s left axis read log10 values as the numbers they stand for.</summary>
    public static void ApplyToLeft(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("G3", CultureInfo.InvariantCulture),
        };
    }
}
