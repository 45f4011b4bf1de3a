using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Testing;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Synthesis;

namespace GlcmMae.Trainer.Tests.Synthesis;

public sealed class SynthDatasetWriterTests
{
    [Fact]
    public void Writes_class_folders_and_a_manifest_deterministically()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();

        var rows = SynthDatasetWriter.Write(first.Path, 3, 64, SynthFormat.Png, seed: 4);
        SynthDatasetWriter.Write(second.Path, 3, 64, SynthFormat.Png, seed: 4);

        Assert.Equal(9, rows.Count);
        var manifest = DatasetManifest.Load(first.Path);
        Assert.Equal(["benign", "malignant", "normal"], manifest.Labels);
        Assert.Equal(9, manifest.Scans.Count);
        Assert.All(rows, r => Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, r.Path)), File.ReadAllBytes(Path.Combine(second.Path, r.Path))));
    }

    [Theory]
    [InlineData("DicomUs")]
    [InlineData("DicomUsRgb")]
    [InlineData("DicomCt")]
    public async Task Dicom_variants_decode_to_the_same_image_as_the_png(string formatName)
    {
        var format = Enum.Parse<SynthFormat>(formatName);
        using var png = new TempFolder();
        using var dicom = new TempFolder();
        SynthDatasetWriter.Write(png.Path, 1, 64, SynthFormat.Png, seed: 8);
        var rows = SynthDatasetWriter.Write(dicom.Path, 1, 64, format, seed: 8);
        // Encoding range for 8-bit data; for CT the soft-tissue window the writer maps the image into.
        var spec = PreprocessingSpec.Default with { ResizeShorterSide = 64, CropSize = 64, Window = WindowMode.None };
        var dicomSpec = format == SynthFormat.DicomCt
            ? spec with { Window = WindowMode.Explicit, WindowCenter = 40, WindowWidth = 400, WindowFunction = VoiLutFunction.LinearExact }
            : spec;

        foreach (var (path, _) in rows)
        {
            var fromDicom = await new ScanTensorLoader(dicomSpec).LoadAsync(Path.Combine(dicom.Path, path));
            var fromPng = await new ScanTensorLoader(spec).LoadAsync(Path.Combine(png.Path, Path.ChangeExtension(path, ".png")));
            var difference = fromDicom.Data.Zip(fromPng.Data).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(difference < 0.01, $"{format} {path}: max difference {difference}");
            await using var stream = File.OpenRead(Path.Combine(dicom.Path, path));
            var document = await ScanDocument.OpenAsync(stream);
            Assert.Equal(format == SynthFormat.DicomCt ? "CT" : "US", document.Metadata.Modality);
        }
    }
}
