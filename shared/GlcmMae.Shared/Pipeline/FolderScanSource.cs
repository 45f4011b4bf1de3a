using System.Globalization;
using System.Text.Json;

namespace GlcmMae.Shared.Pipeline;

/// <summary>
/// The local stand-in for BlobCreated events: finds files in a folder that are new or changed since they were last
/// processed (by size and modification time, the local ETag), and remembers what was processed in <c>.processed.json</c>.
/// </summary>
public sealed class FolderScanSource
{
    private const string StateFile = ".processed.json";
    private readonly string _root;
    private readonly Dictionary<string, string> _processed;

    /// <summary>Watches <paramref name="root"/> (created if missing).</summary>
    public FolderScanSource(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
        var state = Path.Combine(_root, StateFile);
        _processed = File.Exists(state)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(state)) ?? []
            : [];
    }

    /// <summary>The watched folder.</summary>
    public string Root => _root;

    /// <summary>Files not yet processed in their current version, oldest first.</summary>
    public IReadOnlyList<ScanInput> Pending()
    {
        var container = Path.GetFileName(_root);
        return [.. Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Select(f => new FileInfo(f))
            .Where(f => !f.Name.StartsWith('.') && !f.Name.EndsWith(".tmp", StringComparison.Ordinal))
            .OrderBy(f => f.LastWriteTimeUtc)
            .Select(f => (File: f, Name: Path.GetRelativePath(_root, f.FullName).Replace('\\', '/'), ETag: ETagOf(f)))
            .Where(t => !_processed.TryGetValue(t.Name, out var done) || done != t.ETag)
            .Select(t => new ScanInput(container, t.Name, new Uri(t.File.FullName).AbsoluteUri, t.ETag, _ => Task.FromResult<Stream>(File.OpenRead(t.File.FullName))))];
    }

    /// <summary>Records that a file's version was processed (its outcome published).</summary>
    public void MarkProcessed(ScanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _processed[input.BlobName] = input.ETag ?? string.Empty;
        var state = Path.Combine(_root, StateFile);
        var temporary = state + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(_processed));
        File.Move(temporary, state, overwrite: true);
    }

    private static string ETagOf(FileInfo file) => string.Create(CultureInfo.InvariantCulture, $"\"{file.LastWriteTimeUtc.Ticks:x}-{file.Length:x}\"");
}
