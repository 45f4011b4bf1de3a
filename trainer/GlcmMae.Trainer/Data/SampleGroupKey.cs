namespace GlcmMae.Trainer.Data;

/// <summary>The key that keeps images together across splits; splits depend on it, so every reader computes it here.</summary>
internal static class SampleGroupKey
{
    /// <summary>"study:UID" under study grouping when the file has a Study Instance UID, else "file:" and its path below the dataset root.</summary>
    public static string Of(SampleGrouping grouping, string relativePath, string? studyInstanceUid) =>
        grouping == SampleGrouping.Study && studyInstanceUid is { Length: > 0 } study ? "study:" + study : "file:" + relativePath;
}
