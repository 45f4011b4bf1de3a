using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Testing;
using GlcmMae.Trainer.Data;

namespace GlcmMae.Trainer.Tests.Data;

/// <summary>Pretraining in a retrain sees exactly the studies fine-tuning trains on: no validation or test study.</summary>
public sealed class PretrainingPoolTests
{
    [Fact]
    public async Task The_pretraining_pool_is_the_fine_tuning_training_split_study_by_study()
    {
        using var folder = new TempFolder();
        // 60 studies of two files each, in two class folders, and some PNGs (grouped by file).
        for (var s = 0; s < 60; s++)
        {
            var label = s % 2 == 0 ? "benign" : "malignant";
            Directory.CreateDirectory(folder.File(label));
            for (var f = 0; f < 2; f++)
            {
                var dataset = SyntheticDicom.Grayscale(8, 8, 8, 8, false, (_, r, c) => (r * 8) + c + s, modality: "US");
                dataset.Set(DicomElementFactory.Text(DicomTags.StudyInstanceUid, DicomVR.UI, $"2.25.{1000 + s}"));
                await File.WriteAllBytesAsync(folder.File(Path.Combine(label, $"s{s}-f{f}.dcm")), DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
            }
        }

        for (var p = 0; p < 10; p++)
        {
            using var png = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.L8>(8, 8);
            await SixLabors.ImageSharp.ImageExtensions.SaveAsPngAsync(png, folder.File(Path.Combine(p % 2 == 0 ? "benign" : "malignant", $"p{p}.png")));
        }

        var manifest = DatasetManifest.Load(folder.Path);
        var split = new KeyedSplit("site", 0.2, 0.2);

        var pool = await PretrainingPool.TrainingFilesAsync(manifest, folder.Path, split, SampleGrouping.Study, CancellationToken.None);
        var set = await LabelledImageSet.LoadAsync(manifest, folder.Path, PreprocessingSpec.Default with { CropSize = 8, ResizeShorterSide = 8 }, null, false, SampleGrouping.Study, 2, CancellationToken.None);
        var train = split.Split(set.Samples).Train.Select(i => set.Samples[i].Source).ToHashSet();

        Assert.Equal(train.Order(StringComparer.Ordinal), pool.Select(p => Path.GetRelativePath(folder.Path, p).Replace('\\', '/')).Order(StringComparer.Ordinal));
        Assert.InRange(pool.Count, 40, 100);
        // Both files of a study are in or out together.
        Assert.All(Enumerable.Range(0, 60), s => Assert.True(pool.Count(p => Path.GetFileName(p).StartsWith($"s{s}-", StringComparison.Ordinal)) is 0 or 2));
    }
}
