namespace GlcmMae.Trainer.Data;

/// <summary>One file of a labelled dataset as it was read: where it is, what its content is, its class and its group.</summary>
/// <param name="Path">Path below the dataset root, with forward slashes (the blob name below the prefix for blob datasets).</param>
/// <param name="Sha256">Hex SHA-256 of the file's bytes: the identity of the scan, whatever its name.</param>
/// <param name="Label">Class label.</param>
/// <param name="Group">The <see cref="SampleGroupKey"/> it was split by.</param>
/// <param name="Modality">DICOM modality, or the raster format for PNG/JPEG.</param>
/// <param name="Added">When the file entered the dataset: its last-modified time (a blob's Last-Modified for blob datasets), never a study date.</param>
/// <param name="Header">What its header says about the image (format, modality, channels, bit depth, size): what a model's scope is made of.</param>
internal sealed record DatasetFile(string Path, string Sha256, string Label, string Group, string Modality, DateTimeOffset Added, ScanHeader Header);
