using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Shared.Imaging.Raster;

/// <summary>Decodes PNG and JPEG scans: 8- and 16-bit grayscale keep their depth, colour becomes RGB (alpha dropped).</summary>
/// <remarks>Common PNG layouts go through <see cref="PngReader"/>, 8-bit JPEGs through libjpeg-turbo (as Pillow decodes them), 12-bit and lossless JPEGs through JpegLibrary at their precision; palette, sub-byte and interlaced PNGs and other JPEGs (CMYK) through ImageSharp.</remarks>
public static class RasterImageReader
{
    /// <summary>Decodes a PNG or JPEG held in memory.</summary>
    /// <exception cref="ImageFormatException">Not PNG or JPEG, an unsupported variant, or damaged (CorruptFile, whatever the damage made a decoder throw).</exception>
    /// <exception cref="ImageTooLargeException">A side exceeds <paramref name="maxDimension"/>.</exception>
    public static ScanImage Decode(ReadOnlyMemory<byte> bytes, int maxDimension = 16384)
    {
        try
        {
            return DecodeWith(bytes, maxDimension);
        }
        catch (Exception exception) when (DecoderFailure.IsUntyped(exception))
        {
            throw new ImageFormatException("CorruptFile", $"The {ScanFormatSniffer.Detect(bytes.Span)} file cannot be decoded: {DecoderFailure.Describe(exception)}.", exception);
        }
    }

    private static ScanImage DecodeWith(ReadOnlyMemory<byte> bytes, int maxDimension)
    {
        var format = ScanFormatSniffer.Detect(bytes.Span);
        if (format is not (ScanFormat.Png or ScanFormat.Jpeg))
        {
            throw new ImageFormatException("UnsupportedFormat", "The file is neither PNG nor JPEG.");
        }

        if (format == ScanFormat.Png && PngReader.TryDecode(bytes.Span, maxDimension, out var fast))
        {
            return fast;
        }

        if (format == ScanFormat.Jpeg && Dicom.Codecs.TurboJpegCodec.TryDecodeImage(bytes.Span, maxDimension) is { } jpeg)
        {
            return jpeg;
        }

        // 12-bit and lossless JPEG files keep their precision (ImageSharp would decode them to 8 bits, or not at all).
        if (format == ScanFormat.Jpeg && Dicom.Codecs.JpegCodec.TryDecodeImage(bytes, maxDimension) is { } precise)
        {
            return precise;
        }

        var data = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
        try
        {
            var info = Image.Identify(data) ?? throw new ImageFormatException("CorruptFile", $"The {format} header cannot be read.");
            RequireWithinLimit(info.Width, info.Height, maxDimension);

            var png = info.Metadata.GetPngMetadata();
            var grayscale = format == ScanFormat.Png
                ? png.ColorType is PngColorType.Grayscale or PngColorType.GrayscaleWithAlpha
                : info.PixelType.BitsPerPixel == 8;
            if (grayscale && format == ScanFormat.Png && png.BitDepth == PngBitDepth.Bit16)
            {
                using var image16 = Image.Load<L16>(data);
                return Gray(image16, 65535, p => p.PackedValue);
            }

            if (grayscale)
            {
                using var image8 = Image.Load<L8>(data);
                return Gray(image8, 255, p => p.PackedValue);
            }

            if (format == ScanFormat.Png && png.BitDepth == PngBitDepth.Bit16)
            {
                using var rgb48 = Image.Load<Rgb48>(data);
                return Color(rgb48, 65535, p => (p.R, p.G, p.B));
            }

            using var rgb = Image.Load<Rgb24>(data);
            return Color(rgb, 255, p => (p.R, p.G, p.B));
        }
        catch (UnknownImageFormatException ex)
        {
            throw new ImageFormatException("CorruptFile", $"The {format} file cannot be decoded.", ex);
        }
        catch (InvalidImageContentException ex)
        {
            throw new ImageFormatException("CorruptFile", $"The {format} file is damaged: {ex.Message}", ex);
        }
        catch (NotSupportedException ex)
        {
            throw new ImageFormatException("UnsupportedFormat", $"This {format} variant is not supported: {ex.Message}", ex);
        }
    }

    /// <summary>Throws <see cref="ImageTooLargeException"/> when a side exceeds the limit.</summary>
    internal static void RequireWithinLimit(long width, long height, int maxDimension)
    {
        if (width > maxDimension || height > maxDimension)
        {
            throw new ImageTooLargeException($"The image is {width}x{height}; the limit is {maxDimension} per side.");
        }
    }

    private static ScanImage Gray<TPixel>(Image<TPixel> image, double max, Func<TPixel, float> value)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var pixels = new float[image.Width * image.Height];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    pixels[(y * rows.Width) + x] = value(row[x]);
                }
            }
        });
        return new ScanImage(image.Width, image.Height, 1, pixels, ScanPhotometric.Monochrome2, 0, max, VoiSettings.None);
    }

    private static ScanImage Color<TPixel>(Image<TPixel> image, double max, Func<TPixel, (float R, float G, float B)> value)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var pixels = new float[image.Width * image.Height * 3];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var at = ((y * rows.Width) + x) * 3;
                    (pixels[at], pixels[at + 1], pixels[at + 2]) = value(row[x]);
                }
            }
        });
        return new ScanImage(image.Width, image.Height, 3, pixels, ScanPhotometric.Rgb, 0, max, VoiSettings.None);
    }
}
