namespace GlcmMae.Trainer.Data;

/// <summary>One scan of a dataset: its file and its class label (null for unlabelled pretraining data).</summary>
internal sealed record LabelledScan(string Path, string? Label)
{
    /// <summary>The split the manifest assigns, if it has a split column.</summary>
    public DatasetSplit? Split { get; init; }
}
