using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Benchmarks;
using GlcmMae.Trainer.Imaging;

namespace GlcmMae.Trainer.Cli.Quickstart;

/// <summary>Quickstart's imaging stage: writes a CT-like and an ultrasound-like DICOM, reads them back, preprocesses and renders them.</summary>
internal static class ImagingStage
{
    public sealed record Result(string File, string TransferSyntax, string TensorShape, double TensorMean, string RenderedPng);

    public static async Task<IReadOnlyList<Result>> RunAsync(string folder, CancellationToken cancellationToken)
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
            await File.WriteAllBytesAsync(path, DicomWriter.Write(dataset, syntax), cancellationToken).ConfigureAwait(false);

            var document = ScanDocument.Open(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
            var tensor = preprocessor.Run(document);
            var image = document.DecodeFrame(0);
            var display = preprocessor.ToUnitRange(image);
            var png = Path.ChangeExtension(path, ".png");
            await DisplayPng.SaveAsync(display, image, png, cancellationToken).ConfigureAwait(false);

            results.Add(new Result(path, syntax.Name, $"{tensor.Channels}x{tensor.Height}x{tensor.Width}", tensor.Data.Average(), png));
        }

        return results;
    }
}
