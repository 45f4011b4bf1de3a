namespace GlcmMae.Trainer.Serving;

/// <summary>One uploaded scan: blob name, size, the ETag of the version written, and whether its event was enqueued.</summary>
internal sealed record UploadedScan(string BlobName, long Bytes, string ETag, bool Announced);
