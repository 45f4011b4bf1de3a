namespace GlcmMae.Shared.Pipeline;

/// <summary>A scan to classify: where it is, its version, and how to read its bytes.</summary>
/// <param name="Container">Blob container or local folder name.</param>
/// <param name="BlobName">Name within the container.</param>
/// <param name="BlobUri">Full address, part of the idempotent message id.</param>
/// <param name="ETag">Blob version, part of the idempotent message id.</param>
/// <param name="Open">Opens the content; transient failures should throw (the caller retries).</param>
public sealed record ScanInput(string Container, string BlobName, string BlobUri, string? ETag, Func<CancellationToken, Task<Stream>> Open)
{
    /// <summary>Correlation id of the event that announced the scan, if any.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The content when it is already in memory: the pipeline reads it from here instead of calling <see cref="Open"/>.</summary>
    public ReadOnlyMemory<byte>? Content { get; init; }

    /// <summary>A scan already in memory (HTTP bodies, tests); the bytes are used as they are, not copied.</summary>
    public static ScanInput FromBytes(string container, string blobName, ReadOnlyMemory<byte> bytes, string? etag = null) =>
        new(container, blobName, $"memory://{container}/{blobName}", etag, _ => Task.FromResult<Stream>(new MemoryStream(bytes.ToArray(), writable: false)))
        {
            Content = bytes,
        };
}
