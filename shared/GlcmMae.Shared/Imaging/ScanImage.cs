namespace GlcmMae.Shared.Imaging;

/// <summary>One decoded frame: real values (modality-LUT applied for grayscale), channels interleaved, row-major.</summary>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
/// <param name="Channels">1 for grayscale, 3 for RGB.</param>
/// <param name="Pixels">Width x Height x Channels values (HU for CT, stored values otherwise).</param>
/// <param name="Photometric">How to display the values.</param>
/// <param name="MinValue">Smallest value the encoding can represent (for scaling when no window is applied).</param>
/// <param name="MaxValue">Largest value the encoding can represent.</param>
/// <param name="Voi">Windows and VOI LUTs the file suggests.</param>
public sealed record ScanImage(int Width, int Height, int Channels, float[] Pixels, ScanPhotometric Photometric, double MinValue, double MaxValue, VoiSettings Voi)
{
    /// <summary>Number of pixels (not values).</summary>
    public int PixelCount => Width * Height;
}
