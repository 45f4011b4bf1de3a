namespace GlcmMae.Trainer.Benchmarks.Pipeline;

/// <summary>One scan the rehearsal uploaded: its blob, whether it was damaged on purpose, and when the upload finished.</summary>
internal sealed record RehearsalUpload(string BlobName, bool Corrupt, DateTimeOffset UploadedAt);
