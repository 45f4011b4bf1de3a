namespace GlcmMae.Trainer.Serving;

/// <summary>A local file and the blob name it is uploaded as.</summary>
internal sealed record ScanFile(string Path, string BlobName);
