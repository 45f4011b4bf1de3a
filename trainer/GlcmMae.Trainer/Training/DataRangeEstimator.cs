using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Losses;

namespace GlcmMae.Trainer.Training;

/// <summary>Measures the preprocessed intensity range over the training set once (the GLCM bins span it) and finds unreadable files.</summary>
internal static class DataRangeEstimator
{
    /// <summary>Range over every readable file, and the files that could not be read with the reason.</summary>
    public static async Task<(DataRange Range, IReadOnlyList<string> Readable, IReadOnlyList<(string File, string Reason)> Skipped)> MeasureAsync(
        IReadOnlyList<string> files, PreprocessingSpec spec, int workers, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var loader = new ScanTensorLoader(spec);
        var minima = new float[files.Count];
        var maxima = new float[files.Count];
        var failures = new string?[files.Count];
        var done = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    var image = await loader.LoadAsync(files[i], ct).ConfigureAwait(false);
                    var (min, max) = (float.PositiveInfinity, float.NegativeInfinity);
                    foreach (var v in image.Data)
                    {
                        min = Math.Min(min, v);
                        max = Math.Max(max, v);
                    }

                    (minima[i], maxima[i]) = (min, max);
                }
                catch (ImagingException exception)
                {
                    failures[i] = exception.Message;
                }

                progress?.Report(Interlocked.Increment(ref done));
            }).ConfigureAwait(false);

        var readable = Enumerable.Range(0, files.Count).Where(i => failures[i] is null).ToArray();
        var skipped = Enumerable.Range(0, files.Count).Where(i => failures[i] is not null).Select(i => (files[i], failures[i]!)).ToArray();
        if (readable.Length == 0)
        {
            throw new TrainingException("EmptyDataset", $"None of the {files.Count} files could be read as a scan; the first error was: {skipped.FirstOrDefault().Item2}");
        }

        var range = new DataRange(readable.Min(i => minima[i]), readable.Max(i => maxima[i]));
        return (range, readable.Select(i => files[i]).ToArray(), skipped);
    }
}
