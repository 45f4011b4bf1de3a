namespace GlcmMae.Shared.Contracts;

/// <summary>Which scan a result or error is about: its blob and DICOM identifiers, never patient attributes.</summary>
public sealed record ScanReference
{
    /// <summary>Blob container (or local folder name).</summary>
    public required string Container { get; init; }

    /// <summary>Blob name within the container.</summary>
    public required string BlobName { get; init; }

    /// <summary>The blob's ETag when it was read.</summary>
    public string? ETag { get; init; }

    /// <summary>Hex SHA-256 of the scan bytes.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Detected format (Dicom, Png, Jpeg).</summary>
    public string? Format { get; init; }

    /// <summary>Study Instance UID (DICOM).</summary>
    public string? StudyInstanceUid { get; init; }

    /// <summary>Series Instance UID (DICOM).</summary>
    public string? SeriesInstanceUid { get; init; }

    /// <summary>SOP Instance UID (DICOM).</summary>
    public string? SopInstanceUid { get; init; }

    /// <summary>Modality (DICOM), e.g. US.</summary>
    public string? Modality { get; init; }

    /// <summary>The frame that was classified; null when several were (see <see cref="ClassificationResult.Frames"/>).</summary>
    public int? FrameIndex { get; init; }
}
