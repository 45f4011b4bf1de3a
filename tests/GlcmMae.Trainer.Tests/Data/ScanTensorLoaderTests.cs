using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Testing;
using GlcmMae.Trainer.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Trainer.Tests.Data;

[Collection(TorchCollection.Name)]
public sealed class ScanTensorLoaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private void WriteDataset()
    {
        Directory.CreateDirectory(_folder.File("benign"));
        Directory.CreateDirectory(_folder.File("malignant"));
        var ct = SyntheticDicom.Grayscale(48, 40, 16, 12, true, (f, r, c) => (f * 300) + (r * 20) - (c * 9), frames: 3).WithPatient();
        ct.Set(DicomElementFactory.Text(DicomTags.WindowCenter, DicomVR.DS, "40"));
        ct.Set(DicomElementFactory.Text(DicomTags.WindowWidth, DicomVR.DS, "400"));
        File.WriteAllBytes(_folder.File("malignant/ct.dcm"), DicomWriter.Write(ct, DicomTransferSyntax.RleLossless));
        using var png = new Image<L16>(37, 29);
        for (var y = 0; y < 29; y++)
        {
            for (var x = 0; x < 37; x++)
            {
                png[x, y] = new L16((ushort)((x * 1500) + (y * 700)));
            }
        }

        png.SaveAsPng(_folder.File("benign/us.png"));
    }

    [Fact]
    public async Task Training_batches_are_bit_identical_to_what_serving_computes()
    {
        WriteDataset();
        var spec = new PreprocessingSpec { ResizeShorterSide = 36, CropSize = 32, Channels = 3, Mean = [0.4f, 0.4f, 0.4f], Std = [0.2f, 0.2f, 0.2f] };
        var manifest = DatasetManifest.Load(_folder.Path);

        using var batch = await new ScanTensorLoader(spec).LoadBatchAsync(manifest.Scans.Select(s => s.Path).ToArray());

        Assert.Equal(new long[] { 2, 3, 32, 32 }, batch.shape);
        var trained = batch.data<float>().ToArray();
        var serving = new Preprocessor(spec);
        var expected = manifest.Scans
            .SelectMany(s => serving.Run(ScanDocument.Open(File.ReadAllBytes(s.Path))).Data)
            .ToArray();
        Assert.Equal(expected, trained);
    }

    [Fact]
    public void Class_folders_give_sorted_labels_and_paths()
    {
        WriteDataset();

        var manifest = DatasetManifest.Load(_folder.Path);

        Assert.Equal(["benign", "malignant"], manifest.Labels);
        Assert.Equal(["benign", "malignant"], manifest.Scans.Select(s => s.Label));
    }

    [Fact]
    public void Csv_manifest_resolves_paths_next_to_it_and_names_bad_lines()
    {
        WriteDataset();
        File.WriteAllText(_folder.File("labels.csv"), "path,label\nmalignant/ct.dcm,malignant\nbenign/us.png,benign\n");
        Assert.Equal(2, DatasetManifest.Load(_folder.Path).Scans.Count);

        File.WriteAllText(_folder.File("labels.csv"), "path,label\nmissing.dcm,benign\n");
        var error = Assert.Throws<DatasetFormatException>(() => DatasetManifest.Load(_folder.Path));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
