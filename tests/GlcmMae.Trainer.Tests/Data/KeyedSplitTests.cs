using GlcmMae.Trainer.Data;

namespace GlcmMae.Trainer.Tests.Data;

/// <summary>The stable split the retraining loop needs: a study that was test stays test as data grows.</summary>
public sealed class KeyedSplitTests
{
    private static ImageSample[] Samples(int studies, int framesPerStudy = 2, int offset = 0) =>
        [.. Enumerable.Range(offset, studies).SelectMany(s => Enumerable.Range(0, framesPerStudy).Select(f =>
            new ImageSample($"study-{s}/frame-{f}.dcm", $"study:2.25.{s}", s % 3, [], null)))];

    [Fact]
    public void Every_group_keeps_its_split_when_new_studies_arrive()
    {
        var split = new KeyedSplit("site-key", 0.15, 0.15);
        var v1 = Samples(400);
        var v2 = Samples(400).Concat(Samples(600, offset: 400)).ToArray();

        var before = split.Split(v1);
        var after = split.Split(v2);

        // The first 800 samples of v2 are v1's: each keeps its split.
        Assert.Equal(before.Test, after.Test.Where(i => i < v1.Length));
        Assert.Equal(before.Validation, after.Validation.Where(i => i < v1.Length));
        Assert.Equal(before.Train, after.Train.Where(i => i < v1.Length));
    }

    [Fact]
    public void Proportions_follow_the_fractions_and_groups_never_cross_splits()
    {
        var samples = Samples(4000, framesPerStudy: 3);

        var split = new KeyedSplit("site-key", 0.2, 0.1).Split(samples);

        // 4000 groups: the binomial standard deviation of a 10% share is 0.5 percentage points; allow 4 of them.
        Assert.InRange(split.Test.Length / (double)samples.Length, 0.08, 0.12);
        Assert.InRange(split.Validation.Length / (double)samples.Length, 0.18, 0.22);
        Assert.Equal(samples.Length, split.Train.Length + split.Validation.Length + split.Test.Length);
        var groupOf = new[] { split.Train, split.Validation, split.Test }.SelectMany((indices, s) => indices.Select(i => (samples[i].Group, s)));
        Assert.All(groupOf.GroupBy(g => g.Group), g => Assert.Single(g.Select(x => x.s).Distinct()));
        // Each class gets its share too (not exactly: the hash does not stratify).
        Assert.All(Enumerable.Range(0, 3), label => Assert.InRange(split.Test.Count(i => samples[i].Label == label) / (samples.Length / 3.0), 0.07, 0.13));
    }

    [Fact]
    public void The_key_decides_and_a_manifest_split_column_still_wins()
    {
        var samples = Samples(300);
        var manifest = samples.Select((s, i) => i < 2 ? s with { Split = DatasetSplit.Test } : s).ToArray();

        var one = new KeyedSplit("key-one", 0.15, 0.15).Split(samples);
        var two = new KeyedSplit("key-two", 0.15, 0.15).Split(samples);
        var same = new KeyedSplit("key-one", 0.15, 0.15).Split(samples);

        Assert.NotEqual(one.Test, two.Test);
        Assert.Equal(one.Test, same.Test);
        Assert.Contains(0, new KeyedSplit("key-one", 0.15, 0.15).Split(manifest).Test);
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeyedSplit("k", 0.5, 0.5));
    }
}
