using GlcmMae.Shared;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;

namespace GlcmMae.Trainer.Data;

/// <summary>
/// The scans pretraining may see: those of the training split only, so that no validation or test study has been
/// reconstructed by the encoder before it is evaluated on. The split is the one fine-tuning uses (<see cref="KeyedSplit"/>
/// over the same grouping keys as <see cref="LabelledImageSet"/>), or the manifest's split column where it has one.
/// </summary>
internal static class PretrainingPool
{
    /// <summary>The training split's files, in the manifest's order.</summary>
    public static async Task<IReadOnlyList<string>> TrainingFilesAsync(DatasetManifest manifest, string root, KeyedSplit split, SampleGrouping grouping, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(split);
        var kept = new List<string>();
        foreach (var scan in manifest.Scans)
        {
            var assigned = scan.Split ?? split.SplitOf(await GroupKeyAsync(scan.Path, root, grouping, cancellationToken).ConfigureAwait(false));
            if (assigned == DatasetSplit.Train)
            {
                kept.Add(scan.Path);
            }
        }

        return kept;
    }

    /// <summary>The scan's <see cref="SampleGroupKey"/>, reading only what it needs: a DICOM file's Study Instance UID.</summary>
    public static async Task<string> GroupKeyAsync(string path, string root, SampleGrouping grouping, CancellationToken cancellationToken)
    {
        var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
        if (grouping != SampleGrouping.Study)
        {
            return SampleGroupKey.Of(grouping, relative, null);
        }

        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            var study = ScanFormatSniffer.Detect(bytes) == ScanFormat.Dicom
                ? DicomFile.Parse(bytes, DicomReadMode.MetadataOnly).Dataset.GetString(DicomTags.StudyInstanceUid)
                : null;
            return SampleGroupKey.Of(grouping, relative, study);
        }
        catch (GlcmMaeException)
        {
            // An unreadable file is skipped later by the range check; its group is its path.
            return SampleGroupKey.Of(grouping, relative, null);
        }
    }
}
