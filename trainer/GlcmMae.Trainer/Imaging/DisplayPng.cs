using GlcmMae.Shared.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Trainer.Imaging;

/// <summary>Saves the displayed image of a scan, as <c>render</c> and <c>quickstart</c> show it.</summary>
internal static class DisplayPng
{
    /// <summary>Writes display values in [0, 1] (layout of <paramref name="image"/>) as an 8-bit grey or RGB PNG.</summary>
    public static async Task SaveAsync(float[] display, ScanImage image, string path, CancellationToken cancellationToken)
    {
        static byte ToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);
        if (image.Channels == 1)
        {
            using var gray = new Image<L8>(image.Width, image.Height);
            gray.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (var x = 0; x < row.Length; x++)
                    {
                        row[x] = new L8(ToByte(display[(y * image.Width) + x]));
                    }
                }
            });
            await gray.SaveAsPngAsync(path, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var rgb = new Image<Rgb24>(image.Width, image.Height);
        rgb.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var at = ((y * image.Width) + x) * 3;
                    row[x] = new Rgb24(ToByte(display[at]), ToByte(display[at + 1]), ToByte(display[at + 2]));
                }
            }
        });
        await rgb.SaveAsPngAsync(path, cancellationToken).ConfigureAwait(false);
    }
}
