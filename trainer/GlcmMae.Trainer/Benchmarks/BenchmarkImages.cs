using System.Buffers.Binary;
using System.Globalization;
using GlcmMae.Shared.Imaging.Dicom;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>Deterministic images with realistic value statistics for the benchmarks.</summary>
internal static class BenchmarkImages
{
    /// <summary>A CT-like slice: 12-bit signed values (air, soft tissue, bone) with noise, rescale intercept -1024.</summary>
    public static DicomDataset CtLike(int rows, int columns)
    {
        var random = new Random(42);
        var pixels = new byte[rows * columns * 2];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var dx = (c - (columns / 2.0)) / (columns / 2.5);
                var dy = (r - (rows / 2.0)) / (rows / 2.5);
                var inside = (dx * dx) + (dy * dy) < 1;
                var value = inside ? 1064 + random.Next(-40, 40) : random.Next(0, 30);
                if (inside && (dx * dx) + (dy * dy) > 0.9)
                {
                    value = 2200;
                }

                BinaryPrimitives.WriteInt16LittleEndian(pixels.AsSpan(((r * columns) + c) * 2), (short)value);
            }
        }

        var dataset = Base("CT", rows, columns, bits: 16, stored: 12, signed: true);
        dataset.Set(DicomElementFactory.Text(DicomTags.RescaleIntercept, DicomVR.DS, "-1024"));
        dataset.Set(DicomElementFactory.Text(DicomTags.RescaleSlope, DicomVR.DS, "1"));
        dataset.Set(DicomElementFactory.Text(DicomTags.WindowCenter, DicomVR.DS, "40"));
        dataset.Set(DicomElementFactory.Text(DicomTags.WindowWidth, DicomVR.DS, "400"));
        dataset.Set(DicomElementFactory.Bytes(DicomTags.PixelData, DicomVR.OW, pixels));
        return dataset;
    }

    /// <summary>An ultrasound-like B-mode frame: 8-bit speckle inside a sector, black outside.</summary>
    public static DicomDataset UltrasoundLike(int rows, int columns)
    {
        var random = new Random(7);
        var pixels = new byte[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var angle = Math.Atan2(c - (columns / 2.0), r + 40);
                var inSector = Math.Abs(angle) < 0.6 && r > 20;
                pixels[(r * columns) + c] = inSector ? (byte)Math.Clamp(60 + (40 * Math.Log(1e-3 + random.NextDouble())) + 160, 0, 255) : (byte)0;
            }
        }

        var dataset = Base("US", rows, columns, bits: 8, stored: 8, signed: false);
        dataset.Set(DicomElementFactory.Bytes(DicomTags.PixelData, DicomVR.OB, pixels));
        return dataset;
    }

    /// <summary>A colour ultrasound frame as scanners export it: RGB B-mode speckle with a colour Doppler box (reds and blues).</summary>
    public static DicomDataset UltrasoundColourLike(int rows, int columns)
    {
        var gray = UltrasoundLike(rows, columns).Get(DicomTags.PixelData)!.Value.Span;
        var random = new Random(11);
        var pixels = new byte[rows * columns * 3];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var at = (r * columns) + c;
                var (red, green, blue) = (gray[at], gray[at], gray[at]);
                if (r > rows / 3 && r < rows / 2 && c > columns * 2 / 5 && c < columns * 3 / 5 && random.NextDouble() < 0.6)
                {
                    // Flow towards the probe in red, away in blue.
                    var velocity = Math.Sin(c / 17.0) * 255;
                    (red, green, blue) = velocity > 0 ? ((byte)velocity, (byte)(velocity / 4), (byte)0) : ((byte)0, (byte)(-velocity / 3), (byte)-velocity);
                }

                (pixels[at * 3], pixels[(at * 3) + 1], pixels[(at * 3) + 2]) = (red, green, blue);
            }
        }

        var dataset = new DicomDataset();
        dataset.Set(DicomElementFactory.Text(DicomTags.SopClassUid, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.6.1"));
        dataset.Set(DicomElementFactory.Text(DicomTags.SopInstanceUid, DicomVR.UI, "2.25.3" + rows.ToString(CultureInfo.InvariantCulture) + columns.ToString(CultureInfo.InvariantCulture)));
        dataset.Set(DicomElementFactory.Text(DicomTags.Modality, DicomVR.CS, "US"));
        dataset.SetImagePixelModule(rows, columns, 8, 8, false, samplesPerPixel: 3, photometric: "RGB");
        dataset.Set(DicomElementFactory.Bytes(DicomTags.PixelData, DicomVR.OB, pixels));
        return dataset;
    }

    /// <summary>A grayscale PNG of a decoded frame, its value range stretched to 8 or 16 bits.</summary>
    public static byte[] Png(GlcmMae.Shared.Imaging.ScanImage frame, bool sixteenBit)
    {
        var (min, max) = (frame.Pixels.Min(), frame.Pixels.Max());
        var top = sixteenBit ? 65535 : 255;
        var scale = top / Math.Max(max - min, 1e-6f);
        using var stream = new MemoryStream();
        if (sixteenBit)
        {
            using var image = SixLabors.ImageSharp.Image.LoadPixelData(frame.Pixels.Select(v => new SixLabors.ImageSharp.PixelFormats.L16((ushort)Math.Round((v - min) * scale))).ToArray(), frame.Width, frame.Height);
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, stream);
        }
        else
        {
            using var image = SixLabors.ImageSharp.Image.LoadPixelData(frame.Pixels.Select(v => new SixLabors.ImageSharp.PixelFormats.L8((byte)Math.Round((v - min) * scale))).ToArray(), frame.Width, frame.Height);
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, stream);
        }

        return stream.ToArray();
    }

    private static DicomDataset Base(string modality, int rows, int columns, int bits, int stored, bool signed)
    {
        var dataset = new DicomDataset();
        dataset.Set(DicomElementFactory.Text(DicomTags.SopClassUid, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7"));
        dataset.Set(DicomElementFactory.Text(DicomTags.SopInstanceUid, DicomVR.UI, "2.25." + rows.ToString(CultureInfo.InvariantCulture) + columns.ToString(CultureInfo.InvariantCulture)));
        dataset.Set(DicomElementFactory.Text(DicomTags.Modality, DicomVR.CS, modality));
        return dataset.SetImagePixelModule(rows, columns, bits, stored, signed);
    }

    /// <summary>A synthetic B-mode phantom of one of the default texture classes (by <paramref name="seed"/>), <paramref name="size"/> pixels square, as a file in <paramref name="format"/>.</summary>
    public static byte[] Phantom(int size, Synthesis.SynthFormat format, int seed)
    {
        var classes = Synthesis.TextureClass.Defaults;
        var (pixels, _) = Synthesis.UltrasoundPhantom.Generate(size, classes[seed % classes.Count], new Random(seed));
        return Synthesis.SynthDatasetWriter.Encode(pixels, size, format, 0, seed);
    }
}
