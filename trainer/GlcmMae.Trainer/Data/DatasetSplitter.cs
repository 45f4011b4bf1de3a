using System.Globalization;
using GlcmMae.Trainer.Torch;

namespace GlcmMae.Trainer.Data;

/// <summary>Seeded, stratified splits over groups: every image of a group (file or study) lands in exactly one split.</summary>
internal static class DatasetSplitter
{
    /// <summary>Uses the manifest's split column when it has one (carving validation from train if it names none), otherwise a stratified split.</summary>
    public static SplitIndices Split(IReadOnlyList<ImageSample> samples, double validationFraction, double testFraction, long seed)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Any(s => s.Split is not null))
        {
            return FromManifest(samples, validationFraction, seed);
        }

        var groups = Groups(samples);
        var (rest, test) = Take(groups, Enumerable.Range(0, groups.Count).ToArray(), testFraction, seed, 0);
        var (train, validation) = Take(groups, rest, validationFraction / Math.Max(1e-9, 1 - testFraction), seed, 1);
        return Build(groups, train, validation, test);
    }

    /// <summary>Stratified k-fold: fold i is the test set of run i; each run carves its validation split from the other folds.</summary>
    public static IReadOnlyList<SplitIndices> KFold(IReadOnlyList<ImageSample> samples, int folds, double validationFraction, long seed)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "k-fold needs at least 2 folds.");
        }

        var groups = Groups(samples);
        var assignment = new int[groups.Count];
        var next = 0;
        foreach (var byLabel in Enumerable.Range(0, groups.Count).GroupBy(g => groups[g].Label).OrderBy(g => g.Key))
        {
            var members = Shuffled(byLabel.ToArray(), seed, 2, byLabel.Key);
            if (members.Length < folds)
            {
                throw new DatasetFormatException(string.Create(CultureInfo.InvariantCulture, $"Class {byLabel.Key} has {members.Length} groups, fewer than {folds} folds; use fewer folds."));
            }

            // Continue the round robin across classes so fold sizes stay balanced.
            foreach (var g in members)
            {
                assignment[g] = next++ % folds;
            }
        }

        var result = new List<SplitIndices>();
        for (var fold = 0; fold < folds; fold++)
        {
            var test = Enumerable.Range(0, groups.Count).Where(g => assignment[g] == fold).ToArray();
            var rest = Enumerable.Range(0, groups.Count).Where(g => assignment[g] != fold).ToArray();
            var (train, validation) = Take(groups, rest, validationFraction, seed, 10 + fold);
            result.Add(Build(groups, train, validation, test));
        }

        return result;
    }

    /// <summary>A stratified fraction of the given samples, keeping groups whole (at least one group per class).</summary>
    public static int[] Subsample(IReadOnlyList<ImageSample> samples, int[] indices, double fraction, long seed)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (fraction >= 1)
        {
            return indices;
        }

        var chosen = indices.Select(i => samples[i]).ToArray();
        var groups = Groups(chosen);
        var (_, taken) = Take(groups, Enumerable.Range(0, groups.Count).ToArray(), fraction, seed, 3);
        var perClass = taken.GroupBy(g => groups[g].Label).ToDictionary(g => g.Key, g => g.Count());
        // Every class keeps at least one group, however small the fraction.
        var missing = Enumerable.Range(0, groups.Count).Where(g => !perClass.ContainsKey(groups[g].Label)).GroupBy(g => groups[g].Label).Select(g => g.First());
        return [.. taken.Concat(missing).SelectMany(g => groups[g].Members).Select(m => indices[m]).Order()];
    }

    private static SplitIndices FromManifest(IReadOnlyList<ImageSample> samples, double validationFraction, long seed)
    {
        var groups = Groups(samples);
        var conflicted = groups.FirstOrDefault(g => g.Members.Select(i => samples[i].Split).Distinct().Count() > 1);
        if (conflicted is not null)
        {
            throw new DatasetFormatException($"The manifest puts images of one group ({conflicted.Key.Split(':')[0]}) into different splits; keep every file and study in one split.");
        }

        var missing = samples.FirstOrDefault(s => s.Split is null);
        if (missing is not null)
        {
            throw new DatasetFormatException($"The manifest's split column is empty for {missing.Source}; give every scan a split or none.");
        }

        int[] Of(DatasetSplit split) => [.. Enumerable.Range(0, groups.Count).Where(g => samples[groups[g].Members[0]].Split == split)];
        var train = Of(DatasetSplit.Train);
        var validation = Of(DatasetSplit.Validation);
        if (validation.Length == 0)
        {
            (train, validation) = Take(groups, train, validationFraction, seed, 1);
        }

        return Build(groups, train, validation, Of(DatasetSplit.Test));
    }

    /// <summary>Moves a stratified fraction of the given groups (at least one per class with three or more groups) out of them.</summary>
    private static (int[] Kept, int[] Taken) Take(IReadOnlyList<SampleGroup> groups, int[] from, double fraction, long seed, int purpose)
    {
        var kept = new List<int>();
        var taken = new List<int>();
        foreach (var byLabel in from.GroupBy(g => groups[g].Label).OrderBy(g => g.Key))
        {
            var members = Shuffled(byLabel.ToArray(), seed, purpose, byLabel.Key);
            var count = (int)Math.Round(members.Length * fraction, MidpointRounding.AwayFromZero);
            if (fraction > 0 && count == 0 && members.Length >= 3)
            {
                count = 1;
            }

            taken.AddRange(members.Take(count));
            kept.AddRange(members.Skip(count));
        }

        return ([.. kept], [.. taken]);
    }

    private static int[] Shuffled(int[] members, long seed, int purpose, int label)
    {
        // Sort first so the result depends on the groups, not on the order they were enumerated in.
        Array.Sort(members);
        new Random((int)(Seeds.Derive(seed, Seeds.Purpose.Split, purpose, label) & int.MaxValue)).Shuffle(members);
        return members;
    }

    private static SplitIndices Build(IReadOnlyList<SampleGroup> groups, int[] train, int[] validation, int[] test)
    {
        int[] Expand(int[] chosen) => [.. chosen.SelectMany(g => groups[g].Members).Order()];
        return new SplitIndices(Expand(train), Expand(validation), Expand(test));
    }

    private static List<SampleGroup> Groups(IReadOnlyList<ImageSample> samples) =>
        [.. samples
            .Select((s, i) => (s, i))
            .GroupBy(t => t.s.Group, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SampleGroup(
                g.Key,
                // A group with mixed labels (e.g. a study with two findings) is stratified by its most common one.
                g.GroupBy(t => t.s.Label).OrderByDescending(l => l.Count()).ThenBy(l => l.Key).First().Key,
                [.. g.Select(t => t.i)]))];

    private sealed record SampleGroup(string Key, int Label, int[] Members);
}
