using GlcmMae.Shared.Imaging.Dicom;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Trainer.Benchmarks.Fuzzing;

/// <summary>
/// The seed corpus: small valid files of every format and transfer syntax GlcmMae reads. DICOM in the syntaxes our writer
/// makes; compressed syntaxes made by dcmtk, gdcm and OpenJPH when they are installed (build/setup.sh installs them);
/// PNG and JPEG files from ImageSharp, plus the JPEG codestreams dcmtk wrote (baseline, 12-bit extended, lossless), as
/// files of their own.
/// </summary>
internal static class FuzzSeeds
{
    private static readonly ExternalEncoder[] Encoders =
    [
        .. ExternalEncoder.All,
        new("dcmcjpeg", ["+ee"], DicomTransferSyntax.JpegExtended),
        // Lossless with another predictor and a point transform: LosslessJpegDecoder's other row loops.
        new("dcmcjpeg", ["+el", "+sv", "6", "+pt", "1"], DicomTransferSyntax.JpegLossless),
        new("gdcmconv", ["--j2k", "--lossy", "-q", "30"], DicomTransferSyntax.Jpeg2000),
    ];

    public static IReadOnlyList<FuzzSeed> Build(IEnumerable<string>? extraPaths = null)
    {
        var seeds = new List<FuzzSeed>();
        var images = new (string Name, DicomDataset Dataset)[]
        {
            // Two frames, so that offset tables and frame lookup are exercised.
            ("CT 16-bit signed, 2 frames", Ct()),
            ("US 8-bit", BenchmarkImages.UltrasoundLike(40, 32)),
            ("US RGB", BenchmarkImages.UltrasoundColourLike(40, 32)),
        };
        foreach (var (name, dataset) in images)
        {
            foreach (var syntax in new[] { DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ImplicitVRLittleEndian, DicomTransferSyntax.DeflatedExplicitVRLittleEndian, DicomTransferSyntax.RleLossless })
            {
                seeds.Add(new FuzzSeed($"DICOM {syntax.Name} ({name})", DicomWriter.Write(dataset, syntax)));
            }

            var eightBit = dataset.GetInt32(DicomTags.BitsAllocated) == 8;
            foreach (var encoder in Encoders.Where(e => !e.EightBitOnly || eightBit))
            {
                if (encoder.TryEncode(dataset) is { } encoded)
                {
                    seeds.Add(new FuzzSeed($"DICOM {encoder.TransferSyntax.Name} ({name})", encoded));
                    if (encoder.TransferSyntax.Compression is DicomCompression.JpegBaseline or DicomCompression.JpegExtended or DicomCompression.JpegLossless
                        && FirstFragment(encoded) is { } jpeg)
                    {
                        seeds.Add(new FuzzSeed($"JPEG file, {encoder.TransferSyntax.Name} ({name})", jpeg));
                    }
                }
            }
        }

        seeds.AddRange(RasterSeeds());
        foreach (var path in (extraPaths ?? []).SelectMany(path => ScanFilePaths.Expand(path, "--seed-files")))
        {
            seeds.Add(new FuzzSeed($"user file {Path.GetFileName(path)}", File.ReadAllBytes(path)));
        }

        return seeds;
    }

    private static DicomDataset Ct()
    {
        var dataset = new DicomDataset();
        dataset.Set(DicomElementFactory.Text(DicomTags.Modality, DicomVR.CS, "CT"));
        dataset.Set(DicomElementFactory.Text(DicomTags.SopClassUid, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2"));
        dataset.Set(DicomElementFactory.Text(DicomTags.WindowCenter, DicomVR.DS, "40"));
        dataset.Set(DicomElementFactory.Text(DicomTags.WindowWidth, DicomVR.DS, "400"));
        dataset.Set(DicomElementFactory.Text(DicomTags.RescaleIntercept, DicomVR.DS, "-1024"));
        dataset.Set(DicomElementFactory.Text(DicomTags.RescaleSlope, DicomVR.DS, "1"));
        dataset.SetImagePixelModule(24, 20, 16, 12, true, frames: 2);
        var pixels = new byte[24 * 20 * 2 * 2];
        for (var i = 0; i < pixels.Length / 2; i++)
        {
            var value = (short)(((i * 37) % 4000) - 2000);
            pixels[2 * i] = (byte)value;
            pixels[(2 * i) + 1] = (byte)(value >> 8);
        }

        dataset.Set(DicomElementFactory.Bytes(DicomTags.PixelData, DicomVR.OW, pixels));
        return dataset;
    }

    private static IEnumerable<FuzzSeed> RasterSeeds()
    {
        using var gray = new Image<L8>(37, 29);
        using var gray16 = new Image<L16>(37, 29);
        using var colour = new Image<Rgb24>(37, 29);
        for (var y = 0; y < 29; y++)
        {
            for (var x = 0; x < 37; x++)
            {
                gray[x, y] = new L8((byte)((x * 7) + (y * 3)));
                gray16[x, y] = new L16((ushort)((x * 1700) + (y * 90)));
                colour[x, y] = new Rgb24((byte)(x * 6), (byte)(y * 8), (byte)((x + y) * 3));
            }
        }

        yield return new FuzzSeed("PNG gray 8-bit", Encode(gray, new PngEncoder()));
        yield return new FuzzSeed("PNG gray 16-bit", Encode(gray16, new PngEncoder { BitDepth = PngBitDepth.Bit16 }));
        yield return new FuzzSeed("PNG RGB", Encode(colour, new PngEncoder()));
        yield return new FuzzSeed("PNG palette", Encode(colour, new PngEncoder { ColorType = PngColorType.Palette }));
        yield return new FuzzSeed("PNG interlaced", Encode(gray, new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7 }));
        yield return new FuzzSeed("JPEG file gray (ImageSharp)", Encode(gray, new JpegEncoder { Quality = 90 }));
        yield return new FuzzSeed("JPEG file colour (ImageSharp)", Encode(colour, new JpegEncoder { Quality = 90 }));
    }

    private static byte[] Encode<TPixel>(Image<TPixel> image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    private static byte[]? FirstFragment(byte[] dicom) =>
        DicomFile.Parse(dicom).Dataset.Get(DicomTags.PixelData)?.Fragments?.Fragments is { Count: > 0 } fragments ? fragments[0].ToArray() : null;
}
