namespace GlcmMae.Trainer.Data;

/// <summary>One preprocessed, labelled image held in memory for fine-tuning or evaluation.</summary>
/// <param name="Source">Dataset-relative path, with <c>#frame</c> for one frame of a multi-frame file.</param>
/// <param name="Group">What must never be split apart (the file, or its DICOM study).</param>
/// <param name="Label">Class index.</param>
/// <param name="Data">CHW pixels after the shared preprocessing.</param>
/// <param name="Split">The manifest's split, if it names one.</param>
internal sealed record ImageSample(string Source, string Group, int Label, float[] Data, DatasetSplit? Split)
{
    /// <summary>Index of the image's file in <see cref="LabelledImageSet.Files"/> (-1 when the sample was made without one).</summary>
    public int File { get; init; } = -1;
}
