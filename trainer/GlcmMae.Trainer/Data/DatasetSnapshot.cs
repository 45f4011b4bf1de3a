using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GlcmMae.Trainer.Data;

/// <summary>
/// <c>data.jsonl</c>: the lineage of a model, one line per scan it was trained, selected or tested on: the scan's path
/// (and blob name), the SHA-256 of its bytes, its class and its split. It is stored beside the model in the registry,
/// and every fingerprint is a hash of content, so a scan re-exported under the same name counts as new data.
/// </summary>
/// <remarks>
/// The group is written as a hash (its first 16 hex digits): groups are study UIDs, which can carry patient data, and
/// the lineage only needs to show which scans belong together. Times are when a scan entered the dataset, never study
/// dates.
/// </remarks>
internal static class DatasetSnapshot
{
    /// <summary>File name in a fine-tuning run folder and in a registry version.</summary>
    public const string FileName = "data.jsonl";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>One entry per file of the set that a split uses; files only in the part of train that was subsampled away are <see cref="SnapshotUse.Unused"/>.</summary>
    public static IReadOnlyList<SnapshotEntry> Build(LabelledImageSet set, SplitIndices split, string data)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(split);
        var uses = new SnapshotUse?[set.Files.Count];
        foreach (var (indices, use) in new[] { (split.Train, SnapshotUse.Train), (split.Validation, SnapshotUse.Validation), (split.Test, SnapshotUse.Test) })
        {
            foreach (var i in indices)
            {
                var file = set.Samples[i].File;
                if (file >= 0)
                {
                    uses[file] = use;
                }
            }
        }

        return [.. set.Files.Select((f, i) => new SnapshotEntry(
            f.Path, DatasetSource.BlobName(data, f.Path), f.Sha256, f.Label, uses[i] ?? SnapshotUse.Unused, GroupHash(f.Group), f.Modality, f.Added) { Header = f.Header })];
    }

    /// <summary>SHA-256 over the sorted "content hash,label" lines of the entries: the same scans with the same labels give the same fingerprint, whatever their names.</summary>
    public static string Fingerprint(IEnumerable<SnapshotEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var text = string.Join('\n', entries.Select(e => e.Sha256 + "," + e.Label).Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Writes <c>data.jsonl</c> into a folder.</summary>
    public static void Write(string folder, IReadOnlyList<SnapshotEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        File.WriteAllLines(Path.Combine(folder, FileName), entries.Select(e => JsonSerializer.Serialize(e, Json)));
    }

    /// <summary>Reads a folder's <c>data.jsonl</c>, or null when it has none.</summary>
    public static async Task<IReadOnlyList<SnapshotEntry>?> ReadAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, FileName);
        return File.Exists(path) ? Parse(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), path) : null;
    }

    /// <summary>Parses <c>data.jsonl</c> content; a broken line is a clear error naming the line.</summary>
    public static IReadOnlyList<SnapshotEntry> Parse(ReadOnlySpan<byte> content, string where)
    {
        var entries = new List<SnapshotEntry>();
        var line = 0;
        foreach (var text in Encoding.UTF8.GetString(content).Split('\n'))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                entries.Add(JsonSerializer.Deserialize<SnapshotEntry>(text, Json) ?? throw new JsonException("empty line"));
            }
            catch (JsonException exception)
            {
                throw new DatasetFormatException($"{where} line {line} is not a lineage entry: {exception.Message}");
            }
        }

        return entries;
    }

    /// <summary>The scope of a model trained on <paramref name="entries"/> (the training split's), or null when their headers were not recorded.</summary>
    public static GlcmMae.Shared.Models.ModelScope? Scope(IEnumerable<SnapshotEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var headers = entries.Select(e => e.Header).ToArray();
        if (headers.Length == 0 || headers.Any(h => h is null))
        {
            return null;
        }

        var known = headers.Select(h => h!).ToArray();
        var bits = known.Select(h => h.BitsStored).OfType<int>().ToArray();
        return new GlcmMae.Shared.Models.ModelScope
        {
            Formats = [.. known.Select(h => h.Format).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Modalities = [.. known.Select(h => h.Modality).OfType<string>().Where(m => m.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)],
            PhotometricInterpretations = [.. known.Select(h => h.Photometric).OfType<string>().Where(p => p.Length > 0).Select(GlcmMae.Shared.Models.ModelScope.NormalisePhotometric).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            SamplesPerPixel = [.. known.Select(h => h.SamplesPerPixel).Distinct().Order()],
            MinBitsStored = bits.Length == 0 ? 0 : bits.Min(),
            MaxBitsStored = bits.Length == 0 ? 0 : bits.Max(),
            MinRows = known.Min(h => h.Rows),
            MaxRows = known.Max(h => h.Rows),
            MinColumns = known.Min(h => h.Columns),
            MaxColumns = known.Max(h => h.Columns),
        };
    }

    private static string GroupHash(string group) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(group)))[..16];
}

/// <summary>One scan of a model's lineage.</summary>
/// <param name="Path">Path below the dataset root.</param>
/// <param name="Blob">"container/prefix/path" for a blob dataset.</param>
/// <param name="Sha256">Hex SHA-256 of the file's bytes.</param>
/// <param name="Label">Class label.</param>
/// <param name="Split">What the model used it for.</param>
/// <param name="Group">Hash of the grouping key (study or file): scans with the same group were split together.</param>
/// <param name="Modality">DICOM modality, or the raster format.</param>
/// <param name="Added">When the scan entered the dataset (file or blob last-modified time).</param>
internal sealed record SnapshotEntry(string Path, string? Blob, string Sha256, string Label, SnapshotUse Split, string Group, string Modality, DateTimeOffset Added)
{
    /// <summary>The scan's header facts (absent in lineages written before scopes were recorded).</summary>
    public ScanHeader? Header { get; init; }
}

/// <summary>What a model used a scan for.</summary>
internal enum SnapshotUse
{
    /// <summary>Fitted the weights.</summary>
    Train,

    /// <summary>Selected the epoch.</summary>
    Validation,

    /// <summary>Measured the published figures.</summary>
    Test,

    /// <summary>In the training split but left out (a training fraction below 1).</summary>
    Unused,
}
