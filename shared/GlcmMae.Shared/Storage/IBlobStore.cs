namespace GlcmMae.Shared.Storage;

/// <summary>A flat store of named blobs with ETags and conditional writes: Azure Blob Storage, or a local folder.</summary>
public interface IBlobStore
{
    /// <summary>Where the store lives, for messages (never a secret).</summary>
    string Location { get; }

    /// <summary>Reads a whole blob with its ETag, or null when it does not exist.</summary>
    Task<BlobContent?> TryReadAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Writes a blob if the condition holds and returns its new ETag; otherwise throws <see cref="BlobConditionFailedException"/>.</summary>
    Task<string> WriteAsync(string path, Stream content, BlobWriteCondition condition, CancellationToken cancellationToken = default);

    /// <summary>Streams a blob into a local file (replacing it) without holding it in memory; false when the blob does not exist.</summary>
    Task<bool> DownloadToAsync(string path, string localFile, CancellationToken cancellationToken = default);

    /// <summary>Deletes a blob if it exists.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Paths of the blobs under a prefix (slash-separated), in ordinal order.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default);
}
