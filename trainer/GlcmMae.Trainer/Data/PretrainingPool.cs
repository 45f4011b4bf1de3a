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

    /// <summary>"study:UID" for a DICOM file with a Study Instance UID under study grouping, else "file:" and the path below the root.</summary>
    public static async Task<string> GroupKeyAsync(string path, string root, SampleGrouping grouping, CancellationToken cancellationToken)
    {
        var file = "file:" + Path.GetRelativePath(root, path).Replace('\\', '/');
        if (grouping != SampleGrouping.Study)
        {
            return file;
        }

        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            if (ScanFormatSniffer.Detect(bytes) != ScanFormat.Dicom)
            {
                return file;
            }

            var study = DicomFile.Parse(bytes, DicomReadMode.MetadataOnly).Dataset.GetString(DicomTags.StudyInstanceUid);
            return study is { Length: > 0 } ? "study:" + study : file;
        }
        catch (GlcmMaeException)
        {
            // An unreadable file is skipped later by the range check; its group is its path.
            return file;
        }
    }
}
