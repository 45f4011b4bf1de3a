using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Benchmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Trainer.Quickstart;

/// <summary>Quickstart's imaging stage: writes a CT-like and an ultrasound-like DICOM, reads them back, preprocesses and renders them.</summary>
internal static class ImagingStage
{
    public sealed record Result(string File, string TransferSyntax, string TensorShape, double TensorMean, string RenderedPng);

    public static IReadOnlyList<Result> Run(string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var preprocessor = new Preprocessor(PreprocessingSpec.Default);
        var results = new List<Result>();
        foreach (var (name, dataset, syntax) in new[]
        {
            ("ct.dcm", BenchmarkImages.CtLike(512, 512), DicomTransferSyntax.RleLossless),
            ("ultrasound.dcm", BenchmarkImages.UltrasoundLike(600, 800), DicomTransferSyntax.ExplicitVRLittleEndian),
        })
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(folder, name);
            File.WriteAllBytes(path, DicomWriter.Write(dataset, syntax));

            var document = ScanDocument.Open(File.ReadAllBytes(path));
            var tensor = preprocessor.Run(document);
            var image = document.DecodeFrame(0);
            var display = preprocessor.ToUnitRange(image);
            var png = Path.ChangeExtension(path, ".png");
            using (var rendered = new Image<L8>(image.Width, image.Height))
            {
                for (var y = 0; y < image.Height; y++)
                {
                    for (var x = 0; x < image.Width; x++)
                    {
                        rendered[x, y] = new L8((byte)Math.Round(display[(y * image.Width) + x] * 255));
                    }
                }

                rendered.SaveAsPng(png);
            }

            results.Add(new Result(path, syntax.Name, $"{tensor.Channels}x{tensor.Height}x{tensor.Width}", tensor.Data.Average(), png));
        }

        return results;
    }
}
