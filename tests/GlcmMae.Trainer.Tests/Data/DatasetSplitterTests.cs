using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Testing;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Tests.Data;

public sealed class DatasetSplitterTests
{
    private static ImageSample[] Samples(int groupsPerClass, int classes, int framesPerGroup = 1) =>
        [.. Enumerable.Range(0, classes).SelectMany(c => Enumerable.Range(0, groupsPerClass).SelectMany(g =>
            Enumerable.Range(0, framesPerGroup).Select(f => new ImageSample($"c{c}/g{g}.dcm#{f}", $"file:c{c}/g{g}", c, [], null))))];

    [Fact]
    public void Same_seed_same_split_and_another_seed_another()
    {
        var samples = Samples(20, 3);

        var first = DatasetSplitter.Split(samples, 0.2, 0.2, seed: 4);
        var again = DatasetSplitter.Split(samples, 0.2, 0.2, seed: 4);
        var other = DatasetSplitter.Split(samples, 0.2, 0.2, seed: 5);

        Assert.Equal(first.Train, again.Train);
        Assert.Equal(first.Validation, again.Validation);
        Assert.Equal(first.Test, again.Test);
        Assert.NotEqual(first.Test, other.Test);
    }

    [Fact]
    public void Splits_are_stratified_disjoint_and_cover_everything()
    {
        var samples = Samples(20, 3);

        var split = DatasetSplitter.Split(samples, 0.15, 0.25, seed: 1);

        AssertPartition(samples, split);
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(5, split.Test.Count(i => samples[i].Label == c));
            Assert.Equal(3, split.Validation.Count(i => samples[i].Label == c));
        }
    }

    [Fact]
    public void Frames_of_one_file_never_land_in_two_splits()
    {
        var samples = Samples(10, 2, framesPerGroup: 5);

        var split = DatasetSplitter.Split(samples, 0.2, 0.2, seed: 2);
        AssertPartition(samples, split);
        foreach (var fold in DatasetSplitter.KFold(samples, 4, 0.2, seed: 2))
        {
            AssertPartition(samples, fold);
        }
    }

    [Fact]
    public void K_fold_tests_every_group_exactly_once()
    {
        var samples = Samples(9, 3);

        var folds = DatasetSplitter.KFold(samples, 3, 0.2, seed: 7);

        Assert.Equal(3, folds.Count);
        Assert.Equal(Enumerable.Range(0, samples.Length), folds.SelectMany(f => f.Test).Order());
        Assert.All(folds, f => AssertPartition(samples, f));
        Assert.All(folds, f => Assert.Equal(9, f.Test.Length));
    }

    [Fact]
    public void A_manifest_split_column_is_used_and_a_group_across_splits_is_refused()
    {
        var samples = Samples(6, 2).Select((s, i) => s with { Split = i % 3 == 0 ? DatasetSplit.Test : DatasetSplit.Train }).ToArray();

        var split = DatasetSplitter.Split(samples, 0.2, 0.5, seed: 0);

        Assert.Equal(samples.Select((s, i) => (s, i)).Where(t => t.s.Split == DatasetSplit.Test).Select(t => t.i), split.Test);
        Assert.NotEmpty(split.Validation);
        AssertPartition(samples, split);

        var leaking = samples.Select((s, i) => s with { Group = "file:same", Split = i == 0 ? DatasetSplit.Test : DatasetSplit.Train }).ToArray();
        Assert.Throws<DatasetFormatException>(() => DatasetSplitter.Split(leaking, 0.2, 0.2, seed: 0));
    }

    [Fact]
    public void Subsampling_keeps_groups_whole_and_every_class()
    {
        var samples = Samples(20, 3, framesPerGroup: 2);
        var all = Enumerable.Range(0, samples.Length).ToArray();

        var chosen = DatasetSplitter.Subsample(samples, all, 0.1, seed: 3);

        Assert.Equal(12, chosen.Length);
        Assert.All(chosen.GroupBy(i => samples[i].Group), g => Assert.Equal(2, g.Count()));
        Assert.Equal(3, chosen.Select(i => samples[i].Label).Distinct().Count());
    }

    [Fact]
    public async Task Multi_frame_dicoms_and_shared_studies_load_as_groups_that_splits_keep_together()
    {
        using var temp = new TempFolder();
        for (var c = 0; c < 2; c++)
        {
            for (var f = 0; f < 6; f++)
            {
                var dataset = SyntheticDicom.Grayscale(16, 16, 8, 8, false, (frame, r, col) => (frame * 20) + r + col + (c * 50), frames: 3, modality: "US");
                // Files 0 and 1 of each class share a study: two series of one examination.
                dataset.Set(DicomElementFactory.Text(DicomTags.StudyInstanceUid, DicomVR.UI, $"2.25.{c}{Math.Max(f, 1)}"));
                Directory.CreateDirectory(Path.Combine(temp.Path, $"class{c}"));
                await File.WriteAllBytesAsync(Path.Combine(temp.Path, $"class{c}", $"scan{f}.dcm"), DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
            }
        }

        var spec = PretrainRunner.SpecFor(GlcmMae.Trainer.Models.ModelPresets.Get("tiny", 1));
        var set = await LabelledImageSet.LoadAsync(DatasetManifest.Load(temp.Path), temp.Path, spec, null, allFrames: true, SampleGrouping.Study, 2, CancellationToken.None);

        Assert.Equal(36, set.Samples.Count);
        Assert.Contains(set.Samples, s => s.Source == "class0/scan2.dcm#1");
        Assert.Equal(10, set.Samples.Select(s => s.Group).Distinct().Count());
        Assert.NotEqual(set.Samples.First(s => s.Source == "class0/scan0.dcm#0").Data, set.Samples.First(s => s.Source == "class0/scan0.dcm#2").Data);
        for (var seed = 0; seed < 5; seed++)
        {
            AssertPartition(set.Samples, DatasetSplitter.Split(set.Samples, 0.2, 0.2, seed));
        }

        var single = await LabelledImageSet.LoadAsync(DatasetManifest.Load(temp.Path), temp.Path, spec, null, allFrames: false, SampleGrouping.File, 2, CancellationToken.None);
        Assert.Equal(12, single.Samples.Count);
        Assert.All(single.Samples, s => Assert.EndsWith("#1", s.Source, StringComparison.Ordinal));
    }

    private static void AssertPartition(IReadOnlyList<ImageSample> samples, SplitIndices split)
    {
        var all = split.Train.Concat(split.Validation).Concat(split.Test).ToArray();
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, samples.Count), all.Order());
        var owner = new Dictionary<string, int>();
        foreach (var (indices, name) in new[] { (split.Train, 0), (split.Validation, 1), (split.Test, 2) })
        {
            foreach (var i in indices)
            {
                Assert.Equal(name, owner.TryAdd(samples[i].Group, name) ? name : owner[samples[i].Group]);
                var file = samples[i].Source.Split('#')[0];
                Assert.Equal(name, owner.TryAdd("path:" + file, name) ? name : owner["path:" + file]);
            }
        }
    }
}
