namespace GlcmMae.Shared.Storage;

/// <summary>When a write may happen: always, only if the blob does not exist, or only if it still has a given ETag.</summary>
public readonly record struct BlobWriteCondition(bool IfNotExists, string? IfMatch)
{
    /// <summary>Unconditional.</summary>
    public static BlobWriteCondition None => default;

    /// <summary>Create only: refuses to overwrite (immutable blobs).</summary>
    public static BlobWriteCondition CreateOnly => new(true, null);

    /// <summary>Replace only the version that was read (optimistic concurrency).</summary>
    public static BlobWriteCondition Matching(string etag) => new(false, etag);
}
