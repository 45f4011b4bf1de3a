using System.Diagnostics;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Preprocessing;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>Single-threaded decode and decode+preprocess throughput per transfer syntax on generated images (compressed ones when dcmtk/gdcm can make them).</summary>
internal static class DecodeBenchmark
{
    private static readonly DicomTransferSyntax[] Syntaxes =
    [
        DicomTransferSyntax.ExplicitVRLittleEndian,
        DicomTransferSyntax.ImplicitVRLittleEndian,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian,
        DicomTransferSyntax.RleLossless,
    ];

    public static IReadOnlyList<DecodeBenchmarkResult> Run(TimeSpan budgetPerCase, DicomReaderOptions? reader = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        reader ??= DicomReaderOptions.Default;
        var images = new (string Name, DicomDataset Dataset)[]
        {
            ("CT 512x512 16-bit", BenchmarkImages.CtLike(512, 512)),
            ("US 800x600 8-bit", BenchmarkImages.UltrasoundLike(800, 600)),
            // The usual ultrasound export: colour, JPEG baseline compressed as YBR_FULL_422.
            ("US 800x600 RGB", BenchmarkImages.UltrasoundColourLike(800, 600)),
        };
        var preprocessor = new Preprocessor(PreprocessingSpec.Default);
        var reduced = new Preprocessor(PreprocessingSpec.Default with { DecodeResolution = DecodeResolution.Reduced });
        var results = new List<DecodeBenchmarkResult>();
        foreach (var (name, dataset) in images)
        {
            var encoded = Syntaxes.Select(syntax => (syntax, (byte[]?)DicomWriter.Write(dataset, syntax)))
                .Concat(ExternalEncoder.All
                    .Where(e => !e.EightBitOnly || dataset.GetInt32(DicomTags.BitsAllocated) == 8)
                    .Select(e => (e.TransferSyntax, e.TryEncode(dataset))));
            foreach (var (syntax, maybeBytes) in encoded)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (maybeBytes is not { } bytes)
                {
                    continue;
                }

                progress?.Report($"{name}, {syntax.Name}");
                results.Add(Measure(name, syntax.Name, "decode", bytes.Length, budgetPerCase, () => ScanDocument.Open(bytes, reader).DecodeFrame(0)));
                results.Add(Measure(name, syntax.Name, "decode + preprocess 224", bytes.Length, budgetPerCase, () => preprocessor.Run(ScanDocument.Open(bytes, reader))));
                if (syntax.DecodesAtReducedResolution)
                {
                    results.Add(Measure(name, syntax.Name, "decode + preprocess 224, reduced resolution", bytes.Length, budgetPerCase, () => reduced.Run(ScanDocument.Open(bytes, reader))));
                }
            }

            var decoded = ScanDocument.Open(DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian)).DecodeFrame(0);
            if (decoded.Channels != 1)
            {
                // The PNG and preprocessing rows compare grayscale paths; the colour image is here for its DICOM syntaxes.
                continue;
            }

            var sixteenBit = dataset.GetInt32(DicomTags.BitsAllocated) == 16;
            var png = BenchmarkImages.Png(decoded, sixteenBit);
            progress?.Report($"{name}, PNG");
            results.Add(Measure(name, "PNG", "decode", png.Length, budgetPerCase, () => ScanDocument.Open(png).DecodeFrame(0)));
            // ImageSharp's decode alone (no copy into a frame): what the PNG path cost before PngReader, at the least.
            results.Add(Measure(name, "PNG", "decode, ImageSharp only (reference)", png.Length, budgetPerCase, () => DecodeWithImageSharp(png, sixteenBit)));
            foreach (var (label, spec) in new[] { ("preprocess 224 (DICOM window)", PreprocessingSpec.Default), ("preprocess 224 (no window)", PreprocessingSpec.Default with { Window = WindowMode.None }) })
            {
                var only = new Preprocessor(spec);
                results.Add(Measure(name, "(decoded frame)", label, 0, budgetPerCase, () => only.Run(decoded)));
            }
        }

        return results;
    }

    private static int DecodeWithImageSharp(byte[] png, bool sixteenBit)
    {
        using SixLabors.ImageSharp.Image image = sixteenBit
            ? SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.L16>(png)
            : SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.L8>(png);
        return image.Width;
    }

    private static DecodeBenchmarkResult Measure(string image, string syntax, string stage, int fileBytes, TimeSpan budget, Func<object> action)
    {
        for (var i = 0; i < 3; i++)
        {
            GC.KeepAlive(action());
        }

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var iterations = 0;
        while (clock.Elapsed < budget || iterations < 5)
        {
            GC.KeepAlive(action());
            iterations++;
        }

        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var msPerFile = clock.Elapsed.TotalMilliseconds / iterations;
        return new DecodeBenchmarkResult(
            image,
            syntax,
            stage,
            iterations,
            msPerFile,
            1000.0 / msPerFile,
            fileBytes / 1e6 * (1000.0 / msPerFile),
            allocated / 1024.0 / iterations);
    }
}
