using GlcmMae.Shared.Storage;

namespace GlcmMae.Trainer.Runs;

/// <summary>
/// Keeps a copy of a retrain's work folder in blob storage, so a job whose disk is gone (a retried or pre-empted
/// Container Apps job execution starts on a fresh, empty disk) continues from the newest checkpoint instead of from
/// scratch: <see cref="RestoreAsync"/> before training, <see cref="SyncAsync"/> after every checkpoint.
/// </summary>
/// <remarks>
/// A checkpoint folder counts as complete when its <c>state.json</c> exists, so that file is uploaded and restored last
/// and deleted first: a copy interrupted half-way is never taken for a checkpoint. Pruned checkpoints are deleted
/// remotely too, so the copy holds what the run keeps locally and no more. Unverified here: that a retried job
/// execution gets a new replica whose container storage is empty (replica retries,
/// https://learn.microsoft.com/azure/container-apps/jobs; container-scoped storage is ephemeral,
/// https://learn.microsoft.com/azure/container-apps/storage-mounts).
/// </remarks>
internal sealed class RunMirror(IBlobStore store, string prefix, string localRoot)
{
    private const string CompletionFile = "state.json";
    private readonly string _prefix = prefix.TrimEnd('/') + "/";
    private readonly string _root = Path.GetFullPath(localRoot);
    private readonly Dictionary<string, (long Length, DateTime Written)> _uploaded = new(StringComparer.Ordinal);

    /// <summary>Where the copy lives, for messages.</summary>
    public string Location => store.Location + "/" + _prefix;

    /// <summary>Downloads what the copy holds and the work folder lacks (or holds at another size); returns the files fetched.</summary>
    public async Task<int> RestoreAsync(CancellationToken cancellationToken)
    {
        var remote = new List<string>();
        await foreach (var path in store.ListAsync(_prefix, cancellationToken).ConfigureAwait(false))
        {
            remote.Add(path);
        }

        var fetched = 0;
        foreach (var path in CompletionLast(remote))
        {
            var local = LocalPath(path[_prefix.Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            var temporary = local + ".restore";
            if (!await store.DownloadToAsync(path, temporary, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (File.Exists(local) && new FileInfo(local).Length == new FileInfo(temporary).Length)
            {
                File.Delete(temporary);
                continue;
            }

            File.Move(temporary, local, overwrite: true);
            _uploaded[path] = Stamp(local);
            fetched++;
        }

        return fetched;
    }

    /// <summary>Uploads the new or changed files of <paramref name="folder"/> (inside the work folder) and deletes copies of files it no longer has.</summary>
    public async Task SyncAsync(string folder, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(folder);
        var relativeFolder = Path.GetRelativePath(_root, full).Replace('\\', '/');
        if (relativeFolder.StartsWith("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{folder} is outside the mirrored work folder {_root}.", nameof(folder));
        }

        var local = Directory.Exists(full)
            ? Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part.EndsWith(".tmp", StringComparison.Ordinal)) && !f.EndsWith(".restore", StringComparison.Ordinal))
                .ToDictionary(f => _prefix + Path.GetRelativePath(_root, f).Replace('\\', '/'), f => f, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var folderPrefix = relativeFolder == "." ? _prefix : _prefix + relativeFolder + "/";
        var stale = new List<string>();
        await foreach (var path in store.ListAsync(folderPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (!local.ContainsKey(path))
            {
                stale.Add(path);
            }
        }

        // Completion markers go first, so a half-deleted checkpoint no longer looks complete.
        foreach (var path in CompletionFirst(stale))
        {
            await store.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
            _uploaded.Remove(path);
        }

        foreach (var path in CompletionLast(local.Keys))
        {
            var file = local[path];
            var stamp = Stamp(file);
            if (_uploaded.TryGetValue(path, out var uploaded) && uploaded == stamp)
            {
                continue;
            }

            var stream = File.OpenRead(file);
            await using (stream.ConfigureAwait(false))
            {
                await store.WriteAsync(path, stream, BlobWriteCondition.None, cancellationToken).ConfigureAwait(false);
            }

            _uploaded[path] = stamp;
        }
    }

    /// <summary>Deletes the whole copy (the run finished; its work folder stays where it is).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        var paths = new List<string>();
        await foreach (var path in store.ListAsync(_prefix, cancellationToken).ConfigureAwait(false))
        {
            paths.Add(path);
        }

        foreach (var path in CompletionFirst(paths))
        {
            await store.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
        }

        _uploaded.Clear();
    }

    private string LocalPath(string relative)
    {
        var local = Path.GetFullPath(Path.Combine(_root, relative));
        if (!local.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The run copy names '{relative}', outside the work folder; the copy under {Location} is damaged.");
        }

        return local;
    }

    // Uploads and downloads put completion markers last, deletions first: a partial copy never looks complete.
    private static IEnumerable<string> CompletionLast(IEnumerable<string> paths) => paths.OrderBy(IsCompletion).ThenBy(p => p, StringComparer.Ordinal);

    private static IEnumerable<string> CompletionFirst(IEnumerable<string> paths) => paths.OrderByDescending(IsCompletion);

    private static bool IsCompletion(string path) => path.EndsWith("/" + CompletionFile, StringComparison.Ordinal);

    private static (long, DateTime) Stamp(string file)
    {
        var info = new FileInfo(file);
        return (info.Length, info.LastWriteTimeUtc);
    }
}
