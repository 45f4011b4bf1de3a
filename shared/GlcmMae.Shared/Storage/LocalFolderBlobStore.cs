using System.Globalization;
using System.Runtime.CompilerServices;

namespace GlcmMae.Shared.Storage;

/// <summary>A blob store in a local folder (the embedded default): atomic replace, and conditional writes under a lock file.</summary>
/// <remarks>
/// ETags are the file's last-write time in ticks. Conditional writes hold an exclusive lock on <c>.lock</c> in the
/// root, so two processes promoting at once serialise and the second sees the first's ETag.
/// </remarks>
public sealed class LocalFolderBlobStore : IBlobStore
{
    private const string LockFile = ".lock";
    private readonly string _root;

    /// <summary>Opens (and creates) the folder.</summary>
    public LocalFolderBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    /// <inheritdoc />
    public string Location => _root;

    /// <inheritdoc />
    public async Task<BlobContent?> TryReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var file = Resolve(path);
        if (!File.Exists(file))
        {
            return null;
        }

        var etag = ETagOf(file);
        var data = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        return new BlobContent(data, etag);
    }

    /// <inheritdoc />
    public async Task<bool> DownloadToAsync(string path, string localFile, CancellationToken cancellationToken = default)
    {
        var file = Resolve(path);
        if (!File.Exists(file))
        {
            return false;
        }

        var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (source.ConfigureAwait(false))
        {
            var target = new FileStream(localFile, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (target.ConfigureAwait(false))
            {
                await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    /// <inheritdoc />
    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        File.Delete(Resolve(path));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<string> WriteAsync(string path, Stream content, BlobWriteCondition condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var file = Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temporary = $"{file}.{Guid.NewGuid():N}.tmp";
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await content.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            using var held = await AcquireLockAsync(cancellationToken).ConfigureAwait(false);
            var exists = File.Exists(file);
            if (condition.IfNotExists && exists)
            {
                throw new BlobConditionFailedException(path, $"{path} exists already and is immutable.");
            }

            if (condition.IfMatch is { } expected && (!exists || ETagOf(file) != expected))
            {
                throw new BlobConditionFailedException(path, $"{path} changed since it was read; read it again and retry.");
            }

            File.Move(temporary, file, overwrite: true);
            // Timestamps can repeat within the clock's resolution: make sure a replace always yields a new ETag.
            var previous = condition.IfMatch;
            while (ETagOf(file) == previous)
            {
                File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddTicks(1));
            }

            return ETagOf(file);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        var files = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_root, f).Replace('\\', '/'))
            .Where(p => p.StartsWith(prefix, StringComparison.Ordinal) && !p.EndsWith(".tmp", StringComparison.Ordinal) && p != LockFile)
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return file;
        }
    }

    private static string ETagOf(string file) =>
        "\"" + File.GetLastWriteTimeUtc(file).Ticks.ToString("x", CultureInfo.InvariantCulture) + "-" + new FileInfo(file).Length.ToString("x", CultureInfo.InvariantCulture) + "\"";

    private string Resolve(string path)
    {
        var full = Path.GetFullPath(Path.Combine(_root, path));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Blob path '{path}' leaves the store.", nameof(path));
        }

        return full;
    }

    private async Task<FileStream> AcquireLockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_root, LockFile);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 500)
            {
                // Another writer holds the lock: wait briefly and retry.
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
