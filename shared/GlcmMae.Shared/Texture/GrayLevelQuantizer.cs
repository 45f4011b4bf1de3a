namespace GlcmMae.Shared.Texture;

/// <summary>Maps intensities in [min, max] to K gray levels of equal width, the hard counterpart of the soft binning.</summary>
/// <remarks>Bin k covers [min + k d, min + (k + 1) d) with d = (max - min) / K, so its centre is min + (k + 1/2) d as in the GLCM loss; values outside the range are clamped.</remarks>
public sealed class GrayLevelQuantizer
{
    private readonly double _min;
    private readonly double _scale;

    /// <summary>Creates a quantizer with <paramref name="levels"/> bins over [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public GrayLevelQuantizer(int levels, double min, double max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 2);
        if (!(max > min))
        {
            throw new ArgumentException($"The range [{min}, {max}] is empty; max must be greater than min.", nameof(max));
        }

        Levels = levels;
        _min = min;
        _scale = levels / (max - min);
    }

    /// <summary>Number of gray levels K.</summary>
    public int Levels { get; }

    /// <summary>The level of one value.</summary>
    public int Quantize(double value) => Math.Clamp((int)Math.Floor((value - _min) * _scale), 0, Levels - 1);
}
