using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Shared.Explain;

/// <summary>The explanation a radiologist sees: the model's input in grey, the occlusion heat in red over it, the peak marked.</summary>
public static class ExplanationImage
{
    /// <summary>A PNG of <paramref name="map"/> over channel 0 of <paramref name="pixels"/> (each scaled over its own range).</summary>
    /// <remarks>The image is the preprocessed crop the model saw, not the scan: no header, no burnt-in text survives the crop's resize at a readable size, and nothing else is written.</remarks>
    public static byte[] Png(ReadOnlySpan<float> pixels, OcclusionMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var size = map.Size;
        var plane = pixels[..(size * size)];
        var (low, high) = (float.PositiveInfinity, float.NegativeInfinity);
        foreach (var v in plane)
        {
            (low, high) = (Math.Min(low, v), Math.Max(high, v));
        }

        var hottest = Math.Max(1e-6f, map.Heat.Max());
        using var image = new Image<Rgb24>(size, size);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var grey = high > low ? (plane[(y * size) + x] - low) / (high - low) : 0.5f;
                var alpha = 0.65f * Math.Clamp(map.Heat[(y * size) + x] / hottest, 0, 1);
                var red = (grey * (1 - alpha)) + alpha;
                var rest = grey * (1 - alpha);
                image[x, y] = new Rgb24(ToByte(red), ToByte(rest), ToByte(rest));
            }
        }

        // A small cross at the peak.
        for (var d = -3; d <= 3; d++)
        {
            Mark(image, map.PeakX + d, map.PeakY);
            Mark(image, map.PeakX, map.PeakY + d);
        }

        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    private static void Mark(Image<Rgb24> image, int x, int y)
    {
        if (x >= 0 && y >= 0 && x < image.Width && y < image.Height)
        {
            image[x, y] = new Rgb24(255, 255, 0);
        }
    }

    private static byte ToByte(float value) => (byte)Math.Clamp((int)MathF.Round(value * 255), 0, 255);
}
