using System.Runtime.InteropServices;
using System.Text.Json;
using GlcmMae.Shared.Diagnostics;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Trainer.Imaging;

/// <summary>The actions behind <c>inspect</c> and <c>render</c>.</summary>
internal static class ScanCommands
{
    public const int BadInputExitCode = 2;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> InspectAsync(InspectOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var document = await OpenAsync(options.File, error, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return BadInputExitCode;
        }

        await output.WriteLineAsync(ScanInspection.Describe(document, options.ShowPhi).ToJsonString(Indented)).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> RenderAsync(RenderOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var document = await OpenAsync(options.File, error, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return BadInputExitCode;
        }

        if (options.Frame < 0 || options.Frame >= document.Metadata.Frames)
        {
            await error.WriteLineAsync($"error: --frame {options.Frame} is out of range; the scan has {document.Metadata.Frames} frame(s) (0 to {document.Metadata.Frames - 1}).").ConfigureAwait(false);
            return BadInputExitCode;
        }

        ScanImage image;
        try
        {
            image = document.DecodeFrame(options.Frame);
        }
        catch (ImagingException ex)
        {
            await error.WriteLineAsync($"error: {ex.ErrorCode}: {ex.Message}").ConfigureAwait(false);
            return BadInputExitCode;
        }

        var spec = options switch
        {
            { NoWindow: true } => new PreprocessingSpec { Window = WindowMode.None },
            { Window: { } w } => new PreprocessingSpec { Window = WindowMode.Explicit, WindowCenter = w.Center, WindowWidth = w.Width },
            _ => PreprocessingSpec.Default,
        };
        var display = new Preprocessor(spec).ToUnitRange(image);
        options.Output.Directory?.Create();
        await SavePngAsync(display, image, options.Output.FullName, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"wrote {options.Output.FullName} ({image.Width}x{image.Height}, {image.Channels} channel(s), frame {options.Frame})").ConfigureAwait(false);

        if (options.Raw is { } raw)
        {
            raw.Directory?.Create();
            await File.WriteAllBytesAsync(raw.FullName, MemoryMarshal.AsBytes(image.Pixels.AsSpan()).ToArray(), cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"wrote {raw.FullName} (float32 little endian, {image.Height} x {image.Width} x {image.Channels})").ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<ScanDocument?> OpenAsync(FileInfo file, TextWriter error, CancellationToken cancellationToken)
    {
        using var activity = GlcmMaeTelemetry.ActivitySource.StartActivity("scan.open");
        try
        {
            var stream = file.OpenRead();
            await using (stream.ConfigureAwait(false))
            {
                return await ScanDocument.OpenAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ImagingException ex)
        {
            await error.WriteLineAsync($"error: {ex.ErrorCode}: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private static async Task SavePngAsync(float[] display, ScanImage image, string path, CancellationToken cancellationToken)
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
