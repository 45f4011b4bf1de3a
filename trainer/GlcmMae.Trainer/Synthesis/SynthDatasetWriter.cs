using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Trainer.Torch;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Trainer.Synthesis;

/// <summary>Writes a labelled synthetic texture dataset: one folder per class plus <c>labels.csv</c>, deterministic by seed.</summary>
internal static class SynthDatasetWriter
{
    /// <summary>Writes <paramref name="perClass"/> images per class and returns the manifest rows (relative path, label).</summary>
    /// <param name="lesionScale">Multiplies the lesion's size (1: lesions cover about a tenth of the image; larger is a field of view closer around them).</param>
    public static IReadOnlyList<(string Path, string Label)> Write(
        string folder,
        int perClass,
        int size,
        SynthFormat format,
        long seed,
        IReadOnlyList<TextureClass>? classes = null,
        double lesionScale = 1,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default) =>
        Write(folder, perClass, size, format, seed, new UltrasoundFamily(classes, lesionScale), progress, cancellationToken);

    /// <summary>Writes <paramref name="perClass"/> images of each class of <paramref name="family"/> and returns the manifest rows (relative path, label).</summary>
    public static IReadOnlyList<(string Path, string Label)> Write(
        string folder,
        int perClass,
        int size,
        SynthFormat format,
        long seed,
        ISynthFamily family,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(family);
        var classNames = family.ClassNames;
        var rows = new (string Path, string Label)[classNames.Count * perClass];
        var done = 0;
        Parallel.For(0, rows.Length, new ParallelOptions { CancellationToken = cancellationToken }, index =>
        {
            var className = classNames[index / perClass];
            var number = index % perClass;
            var random = new Random((int)(Seeds.Derive(seed, Seeds.Purpose.Synthesis, index) & int.MaxValue));
            var image = family.Generate(size, index / perClass, random);
            var name = string.Create(CultureInfo.InvariantCulture, $"{className}-{number:D5}{(format == SynthFormat.Png ? ".png" : ".dcm")}");
            var relative = Path.Combine(className, name);
            var path = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, Encode(image, size, format, seed, index));

            rows[index] = (relative.Replace('\\', '/'), className);
            progress?.Report(Interlocked.Increment(ref done));
        });

        var csv = new StringBuilder("path,label\n");
        foreach (var (path, label) in rows)
        {
            csv.Append(path).Append(',').Append(label).Append('\n');
        }

        File.WriteAllText(Path.Combine(folder, "labels.csv"), csv.ToString());
        return rows;
    }

    /// <summary>One image in <paramref name="format"/>'s file form; <paramref name="seed"/> and <paramref name="index"/> make the DICOM UIDs.</summary>
    public static byte[] Encode(float[] image, int size, SynthFormat format, long seed, int index)
    {
        if (format != SynthFormat.Png)
        {
            return DicomWriter.Write(Dataset(image, size, format, seed, index), DicomTransferSyntax.ExplicitVRLittleEndian);
        }

        using var png = new Image<L8>(size, size);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                png[x, y] = new L8(ToByte(image[(y * size) + x]));
            }
        }

        using var stream = new MemoryStream();
        png.SaveAsPng(stream);
        return stream.ToArray();
    }

    private static byte ToByte(float value) => (byte)Math.Round(Math.Clamp(value, 0f, 1f) * 255);

    private static DicomDataset Dataset(float[] image, int size, SynthFormat format, long seed, int index)
    {
        var dataset = new DicomDataset();
        var ct = format == SynthFormat.DicomCt;
        var rgb = format == SynthFormat.DicomUsRgb;
        // Deterministic UIDs under the 2.25 (UUID-derived) root; no patient module at all.
        var uid = string.Create(CultureInfo.InvariantCulture, $"2.25.{(ulong)Seeds.Derive(seed, Seeds.Purpose.SynthesisUid, index)}");
        dataset.Set(DicomElementFactory.Text(DicomTags.SopClassUid, DicomVR.UI, ct ? "1.2.840.10008.5.1.4.1.1.2" : "1.2.840.10008.5.1.4.1.1.6.1"));
        dataset.Set(DicomElementFactory.Text(DicomTags.SopInstanceUid, DicomVR.UI, uid));
        dataset.Set(DicomElementFactory.Text(DicomTags.Modality, DicomVR.CS, ct ? "CT" : "US"));
        dataset.SetImagePixelModule(size, size, ct ? 16 : 8, ct ? 12 : 8, signed: ct, samplesPerPixel: rgb ? 3 : 1, photometric: rgb ? "RGB" : "MONOCHROME2");
        if (ct)
        {
            // Soft tissue: the image spans -160..240 HU, the window 40/400 maps it back to [0, 1].
            var pixels = new byte[size * size * 2];
            for (var i = 0; i < image.Length; i++)
            {
                var hu = (int)Math.Round((image[i] * 400) - 160);
                BinaryPrimitives.WriteInt16LittleEndian(pixels.AsSpan(i * 2), (short)(hu + 1024));
            }

            dataset.Set(DicomElementFactory.Text(DicomTags.RescaleIntercept, DicomVR.DS, "-1024"));
            dataset.Set(DicomElementFactory.Text(DicomTags.RescaleSlope, DicomVR.DS, "1"));
            dataset.Set(DicomElementFactory.Text(DicomTags.WindowCenter, DicomVR.DS, "40"));
            dataset.Set(DicomElementFactory.Text(DicomTags.WindowWidth, DicomVR.DS, "400"));
            dataset.Set(DicomElementFactory.Bytes(DicomTags.PixelData, DicomVR.OW, pixels));
        }
        else
        {
            var samples = rgb ? 3 : 1;
            var pixels = new byte[size * size * samples];
            for (var i = 0; i < image.Length; i++)
            {
                pixels.AsSpan(i * samples, samples).Fill(ToByte(image[i]));
            }

            dataset.Set(DicomElementFactory.Bytes(DicomTags.PixelData, DicomVR.OB, pixels));
        }

        return dataset;
    }
}
