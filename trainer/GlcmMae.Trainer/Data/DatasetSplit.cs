namespace GlcmMae.Trainer.Data;

/// <summary>Which part of a labelled dataset a scan belongs to.</summary>
internal enum DatasetSplit
{
    /// <summary>Fits the weights.</summary>
    Train,

    /// <summary>Picks the epoch (checkpoint selection) and nothing else.</summary>
    Validation,

    /// <summary>Reported once, with the selected checkpoint.</summary>
    Test,
}

/// <summary>The names manifests use for splits.</summary>
internal static class SplitNames
{
    /// <summary>Parses train / val / validation / test (any case).</summary>
    public static bool TryParse(string text, out DatasetSplit split)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "train":
                split = DatasetSplit.Train;
                return true;
            case "val" or "valid" or "validation":
                split = DatasetSplit.Validation;
                return true;
            case "test":
                split = DatasetSplit.Test;
                return true;
            default:
                split = default;
                return false;
        }
    }

    /// <summary>As <see cref="TryParse"/>, throwing on an unknown name.</summary>
    public static DatasetSplit Parse(string text) =>
        TryParse(text, out var split) ? split : throw new DatasetFormatException($"Split '{text}' is not one of train, val, test.");
}
