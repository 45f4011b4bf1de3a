using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GlcmMae.Shared.Pipeline;

namespace GlcmMae.Trainer.Serving;

/// <summary>Uploads local scans to the scans container and, where no Event Grid runs (Azurite), puts the BlobCreated events it would deliver on the scan-events queue.</summary>
internal static class ScanUploader
{
    /// <summary>
    /// The files named by <paramref name="paths"/> (a folder stands for every file below it) with their blob names:
    /// <paramref name="prefix"/> and then the file's path below the folder named, or its file name; in ordinal order.
    /// </summary>
    /// <exception cref="FileNotFoundException">A path names nothing.</exception>
    /// <exception cref="ArgumentException">No file was found, or two files would get the same blob name.</exception>
    public static IReadOnlyList<ScanFile> Expand(IEnumerable<string> paths, string prefix)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(prefix);
        var head = prefix.Replace('\\', '/').Trim('/');
        var files = new List<ScanFile>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                files.AddRange(Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories).Select(file => new ScanFile(file, BlobName(head, Path.GetRelativePath(full, file)))));
            }
            else if (File.Exists(full))
            {
                files.Add(new ScanFile(full, BlobName(head, Path.GetFileName(full))));
            }
            else
            {
                throw new FileNotFoundException($"'{path}' is neither a file nor a folder.", path);
            }
        }

        if (files.Count == 0)
        {
            throw new ArgumentException("The folders named hold no files to upload.", nameof(paths));
        }

        if (files.GroupBy(f => f.BlobName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } clash)
        {
            throw new ArgumentException($"{string.Join(" and ", clash.Select(f => $"'{f.Path}'"))} would both be uploaded as '{clash.Key}'; upload them with different --prefix values.", nameof(paths));
        }

        return [.. files.OrderBy(f => f.BlobName, StringComparer.Ordinal)];
    }

    /// <summary>Uploads each file (replacing a blob of the same name) and, with <paramref name="events"/>, enqueues its BlobCreated event for the uploaded version.</summary>
    /// <remarks>Events are written in <paramref name="schema"/> and <paramref name="encoding"/>, so that either form an Event Grid subscription can deliver is rehearsed locally.</remarks>
    public static async Task<IReadOnlyList<UploadedScan>> UploadAsync(BlobContainerClient container, QueueClient? events, IReadOnlyList<ScanFile> files, IProgress<UploadedScan>? progress, ScanEventSchema schema, ScanEventEncoding encoding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(files);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (events is not null)
        {
            await events.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var uploaded = new List<UploadedScan>(files.Count);
        foreach (var file in files)
        {
            var blob = container.GetBlobClient(file.BlobName);
            var info = (await blob.UploadAsync(file.Path, overwrite: true, cancellationToken).ConfigureAwait(false)).Value;
            var etag = info.ETag.ToString();
            if (events is not null)
            {
                // The event names the version just written, as Event Grid's would: a later overwrite is a new event.
                await events.SendMessageAsync(BlobCreatedEvents.Create(blob.Uri, etag, container.Name, file.BlobName, schema, encoding), cancellationToken).ConfigureAwait(false);
            }

            var scan = new UploadedScan(file.BlobName, new FileInfo(file.Path).Length, etag, events is not null);
            uploaded.Add(scan);
            progress?.Report(scan);
        }

        return uploaded;
    }

    private static string BlobName(string prefix, string relative)
    {
        var name = relative.Replace('\\', '/');
        return prefix.Length == 0 ? name : $"{prefix}/{name}";
    }
}
