using System.Security.Cryptography;
using GlcmMae.Shared;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Preprocessing;

namespace GlcmMae.Trainer.Data;

/// <summary>A labelled dataset decoded and preprocessed once into memory (fine-tuning datasets are small; epochs reuse the pixels).</summary>
internal sealed class LabelledImageSet
{
    private LabelledImageSet(IReadOnlyList<string> labels, IReadOnlyList<ImageSample> samples, IReadOnlyList<DatasetFile> files, IReadOnlyList<(string File, string Reason)> skipped)
    {
        Labels = labels;
        Samples = samples;
        Files = files;
        Skipped = skipped;
    }

    /// <summary>Class labels, index = position.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Images in manifest order (frames of a file in frame order).</summary>
    public IReadOnlyList<ImageSample> Samples { get; }

    /// <summary>The files the samples came from (<see cref="ImageSample.File"/> indexes this list), with their content hashes.</summary>
    public IReadOnlyList<DatasetFile> Files { get; }

    /// <summary>Files that could not be read, with the reason (never patient data: the reader's typed error message).</summary>
    public IReadOnlyList<(string File, string Reason)> Skipped { get; }

    /// <summary>The samples that pass the filter (labels and skipped files unchanged).</summary>
    public LabelledImageSet Filter(Func<ImageSample, bool> keep) => new(Labels, [.. Samples.Where(keep)], Files, Skipped);

    /// <summary>Reads every labelled scan of the manifest; unlabelled scans are ignored, unreadable ones skipped and reported.</summary>
    /// <param name="manifest">The dataset.</param>
    /// <param name="root">Folder that sources are reported relative to.</param>
    /// <param name="spec">The model's preprocessing.</param>
    /// <param name="labels">The class order to use (a model's labels), or null for the manifest's.</param>
    /// <param name="allFrames">Every frame of a multi-frame file becomes an image; otherwise the spec's frame, as serving does.</param>
    /// <param name="grouping">What stays together across splits.</param>
    /// <param name="workers">Parallel decoders.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public static async Task<LabelledImageSet> LoadAsync(
        DatasetManifest manifest, string root, PreprocessingSpec spec, IReadOnlyList<string>? labels, bool allFrames, SampleGrouping grouping, int workers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return await LoadAsync(manifest.Scans, root, spec, labels ?? manifest.Labels, allFrames, grouping, workers, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As the manifest overload, for a chosen list of scans and a fixed class order.</summary>
    public static async Task<LabelledImageSet> LoadAsync(
        IReadOnlyList<LabelledScan> all, string root, PreprocessingSpec spec, IReadOnlyList<string> labels, bool allFrames, SampleGrouping grouping, int workers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(labels);
        var scans = all.Where(s => s.Label is not null).ToArray();
        if (scans.Length == 0)
        {
            throw new DatasetFormatException("The dataset has no labelled scans; use class sub-folders or a labels.csv with a label column.");
        }

        var unknown = scans.Select(s => s.Label!).Distinct(StringComparer.Ordinal).Where(l => !labels.Contains(l)).ToArray();
        if (unknown.Length > 0)
        {
            throw new DatasetFormatException($"The dataset has classes the model does not know: {string.Join(", ", unknown)} (model classes: {string.Join(", ", labels)}).");
        }

        var preprocessor = new Preprocessor(spec);
        var perFile = new ImageSample[scans.Length][];
        var files = new DatasetFile?[scans.Length];
        var errors = new string?[scans.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, scans.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    (perFile[i], files[i]) = await ReadAsync(scans[i], root, preprocessor, labels, allFrames, grouping, ct).ConfigureAwait(false);
                }
                catch (GlcmMaeException exception)
                {
                    errors[i] = exception.Message;
                    perFile[i] = [];
                }
            }).ConfigureAwait(false);

        var skipped = scans.Select((s, i) => (s.Path, errors[i])).Where(t => t.Item2 is not null).Select(t => (t.Path, t.Item2!)).ToArray();
        var read = new List<DatasetFile>(scans.Length);
        var samples = new List<ImageSample>(scans.Length);
        for (var i = 0; i < scans.Length; i++)
        {
            if (files[i] is { } file)
            {
                var index = read.Count;
                read.Add(file);
                samples.AddRange(perFile[i].Select(s => s with { File = index }));
            }
        }

        if (samples.Count == 0)
        {
            throw new DatasetFormatException($"None of the {scans.Length} labelled scans could be read; the first error: {skipped[0].Item2}");
        }

        return new LabelledImageSet(labels, samples, read, skipped);
    }

    private static async Task<(ImageSample[] Samples, DatasetFile File)> ReadAsync(
        LabelledScan scan, string root, Preprocessor preprocessor, IReadOnlyList<string> labels, bool allFrames, SampleGrouping grouping, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(scan.Path);
        byte[] bytes;
        await using (stream.ConfigureAwait(false))
        {
            bytes = await StreamReading.ReadAllAsync(stream, DicomReaderOptions.Default.MaxFileBytes, "scan", cancellationToken).ConfigureAwait(false);
        }

        // The content hash is the scan's identity in the model's lineage: a re-exported scan under the same name is new data.
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var document = ScanDocument.Open(bytes);
        var relative = Path.GetRelativePath(root, scan.Path).Replace('\\', '/');
        var metadata = document.Metadata;
        var group = SampleGroupKey.Of(grouping, relative, metadata.StudyInstanceUid);
        var file = new DatasetFile(relative, sha256, scan.Label!, group, metadata.Modality ?? metadata.Format.ToString(), new DateTimeOffset(File.GetLastWriteTimeUtc(scan.Path), TimeSpan.Zero), ScanHeader.Of(metadata));
        var label = labels.IndexOf(scan.Label!);
        var frames = metadata.Frames;
        if (!allFrames || frames == 1)
        {
            var frame = preprocessor.SelectFrame(frames);
            var source = frames == 1 ? relative : $"{relative}#{frame}";
            return ([new ImageSample(source, group, label, preprocessor.Run(document).Data, scan.Split)], file);
        }

        var samples = new ImageSample[frames];
        for (var f = 0; f < frames; f++)
        {
            samples[f] = new ImageSample($"{relative}#{f}", group, label, preprocessor.Run(preprocessor.Decode(document, f)).Data, scan.Split);
        }

        return (samples, file);
    }
}

/// <summary>List helpers for label lookups.</summary>
internal static class LabelListExtensions
{
    /// <summary>Ordinal position of a label, or -1.</summary>
    public static int IndexOf(this IReadOnlyList<string> labels, string label)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (string.Equals(labels[i], label, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
