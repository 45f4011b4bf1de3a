using System.Globalization;

namespace GlcmMae.Trainer.Reports;

/// <summary>A difference written with its sign and three decimals (+0.020, -0.013), as the comparison tables show it.</summary>
internal static class SignedFigure
{
    /// <summary>The value rounded to three decimals with its sign; a value that rounds to zero is "+0.000", never "-+0.000" or "-0.000".</summary>
    /// <remarks>.NET formats a negative value that rounds to zero with the first section and a minus sign, so rounding comes first, and adding 0.0 turns -0.0 into +0.0.</remarks>
    public static string Format(double value) => (Math.Round(value, 3) + 0.0).ToString("+0.000;-0.000", CultureInfo.InvariantCulture);
}
