namespace GlcmMae.Trainer.Losses;

/// <summary>The pixel pairs a GLCM counts at distance 1.</summary>
internal enum GlcmDirection
{
    /// <summary>Pixel (i, j) with (i, j + 1).</summary>
    Horizontal,

    /// <summary>Pixel (i, j) with (i + 1, j).</summary>
    Vertical,
}
