namespace GlcmMae.Trainer.Data;

/// <summary>Sample indices of the three splits of one run (or one fold).</summary>
internal sealed record SplitIndices(int[] Train, int[] Validation, int[] Test)
{
    /// <summary>The indices of one split.</summary>
    public int[] Of(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => Train,
        DatasetSplit.Validation => Validation,
        _ => Test,
    };
}
