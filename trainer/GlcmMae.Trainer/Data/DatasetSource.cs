using GlcmMae.Shared.Storage;
using GlcmMae.Trainer.Hosting;

namespace GlcmMae.Trainer.Data;

/// <summary>Turns <c>--data</c> into a local folder: a folder or CSV as is, or <c>az://container/prefix</c> downloaded into a cache.</summary>
/// <remarks>
/// Blob datasets are read from the storage account of the <c>Storage</c> settings (<see cref="AzureConnections"/>: a
/// connection string, or the blob endpoint with the managed identity in the trainer job). Blobs already cached with
/// the same ETag are not downloaded again.
/// </remarks>
internal static class DatasetSource
{
    /// <summary>Scheme prefix of blob datasets.</summary>
    public const string BlobScheme = "az://";

    /// <summary>The blob address of a dataset-relative path ("container/prefix/path"), or null when the dataset is not in blob storage.</summary>
    public static string? BlobName(string data, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.StartsWith(BlobScheme, StringComparison.OrdinalIgnoreCase) ? data[BlobScheme.Length..].Trim('/') + "/" + relativePath : null;
    }

    /// <summary>The container and the prefix (empty, or ending in "/") of an <c>az://container/prefix</c> address; null for a local path.</summary>
    public static (string Container, string Prefix)? BlobAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.StartsWith(BlobScheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var path = address[BlobScheme.Length..].Trim('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (path, string.Empty) : (path[..slash], path[(slash + 1)..].TrimEnd('/') + "/");
    }

    /// <summary>A local folder or file holding the dataset: <paramref name="data"/> itself, or the cache a blob dataset was downloaded into.</summary>
    /// <param name="data">A folder, a CSV, or <c>az://container/prefix</c>.</param>
    /// <param name="cacheRoot">Where blob datasets are cached; null: <c>.glcmmae/cache/datasets</c>.</param>
    /// <param name="connections">The storage account; null: the command's <c>Storage</c> settings.</param>
    /// <param name="cancellationToken">Stops the download.</param>
    public static async Task<string> ResolveAsync(string data, string? cacheRoot, AzureConnections? connections, CancellationToken cancellationToken)
    {
        if (BlobAddress(data) is not var (container, prefix))
        {
            return data;
        }

        var client = (connections ?? TrainerSettings.Connections()).Container(container);
        var cache = Path.Combine(cacheRoot ?? Path.Combine(".glcmmae", "cache", "datasets"), container, prefix.TrimEnd('/'));
        Directory.CreateDirectory(cache);
        var index = Path.Combine(cache, ".etags.json");
        var etags = File.Exists(index)
            ? System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(index, cancellationToken).ConfigureAwait(false)) ?? []
            : [];
        var count = 0;
        await foreach (var blob in client.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix.Length == 0 ? null : prefix, cancellationToken).ConfigureAwait(false))
        {
            var relative = blob.Name[prefix.Length..];
            var local = Path.GetFullPath(Path.Combine(cache, relative));
            if (!local.StartsWith(Path.GetFullPath(cache), StringComparison.Ordinal))
            {
                throw new TrainingException("InvalidBlobName", $"Blob '{blob.Name}' would be written outside the dataset cache.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            var etag = blob.Properties.ETag?.ToString() ?? string.Empty;
            if (!File.Exists(local) || !etags.TryGetValue(relative, out var cached) || cached != etag)
            {
                await client.GetBlobClient(blob.Name).DownloadToAsync(local, cancellationToken).ConfigureAwait(false);
                etags[relative] = etag;
            }

            // The cached copy carries the blob's Last-Modified: the lineage records when a scan entered the dataset.
            if (blob.Properties.LastModified is { } modified)
            {
                File.SetLastWriteTimeUtc(local, modified.UtcDateTime);
            }

            count++;
        }

        await File.WriteAllTextAsync(index, System.Text.Json.JsonSerializer.Serialize(etags), cancellationToken).ConfigureAwait(false);
        if (count == 0)
        {
            throw new DatasetFormatException($"No blobs under '{data}'; upload scans there (class folders or a labels.csv) or check the container and prefix.");
        }

        return cache;
    }
}
