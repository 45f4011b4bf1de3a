using System.Diagnostics;
using GlcmMae.Shared;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>
/// <c>glcmmae bench decode --files</c>: decode speed on a site's own scans, per transfer syntax (or PNG, JPEG), so an
/// archive can be measured as it is. Files are read into memory first; each group is decoded round-robin, on one thread,
/// for at least the budget. File names never appear in the result (they can carry patient names).
/// </summary>
internal static class DecodeFilesBenchmark
{
    /// <param name="minimumShorterSide">Decode JPEG 2000 frames at the smallest resolution at least this large (0: in full), as <see cref="ScanDocument.DecodeFrame(int, int)"/> does.</param>
    public static IReadOnlyList<DecodeFilesBenchmarkRow> Run(IEnumerable<string> paths, TimeSpan budgetPerGroup, DicomReaderOptions reader, int minimumShorterSide = 0, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(reader);
        var groups = new SortedDictionary<string, List<byte[]>>(StringComparer.Ordinal);
        var refused = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var path in paths.SelectMany(path => ScanFilePaths.Expand(path, "--files")))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var bytes = File.ReadAllBytes(path);
            try
            {
                var document = ScanDocument.Open(bytes, reader);
                document.DecodeFrame(0, minimumShorterSide);
                var group = document.Metadata.TransferSyntaxUid is { } uid ? $"DICOM {DicomTransferSyntax.Lookup(uid).Name}" : document.Metadata.Format.ToString().ToUpperInvariant();
                (groups.TryGetValue(group, out var files) ? files : groups[group] = []).Add(bytes);
            }
            catch (GlcmMaeException exception)
            {
                refused[exception.ErrorCode] = refused.GetValueOrDefault(exception.ErrorCode) + 1;
            }
        }

        var rows = new List<DecodeFilesBenchmarkRow>();
        foreach (var (group, files) in groups)
        {
            progress?.Report($"{group}: {files.Count} files");
            rows.Add(Measure(group, files, budgetPerGroup, reader, minimumShorterSide, cancellationToken));
        }

        rows.AddRange(refused.Select(r => new DecodeFilesBenchmarkRow($"refused: {r.Key}", r.Value, 0, 0, 0, 0, 0, 0)));
        return rows;
    }

    private static DecodeFilesBenchmarkRow Measure(string group, List<byte[]> files, TimeSpan budget, DicomReaderOptions reader, int minimumShorterSide, CancellationToken cancellationToken)
    {
        foreach (var file in files.Take(3))
        {
            ScanDocument.Open(file, reader).DecodeFrame(0, minimumShorterSide);
        }

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var decoded = 0L;
        var bytes = 0L;
        var megapixels = 0.0;
        while (clock.Elapsed < budget || decoded < files.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = files[(int)(decoded % files.Count)];
            var document = ScanDocument.Open(file, reader);
            document.DecodeFrame(0, minimumShorterSide);
            // The file's own size, so that a reduced decode's rate compares with a full one's.
            megapixels += document.Metadata.Columns * (double)document.Metadata.Rows / 1e6;
            bytes += file.Length;
            decoded++;
        }

        clock.Stop();
        var seconds = clock.Elapsed.TotalSeconds;
        return new DecodeFilesBenchmarkRow(
            group,
            files.Count,
            decoded,
            clock.Elapsed.TotalMilliseconds / decoded,
            decoded / seconds,
            bytes / 1e6 / seconds,
            megapixels / seconds,
            (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / 1024.0 / decoded);
    }
}
