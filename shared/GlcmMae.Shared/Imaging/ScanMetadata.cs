namespace GlcmMae.Shared.Imaging;

/// <summary>What results may say about a scan: identifiers and geometry, never patient attributes.</summary>
public sealed record ScanMetadata
{
    /// <summary>The detected file format.</summary>
    public required ScanFormat Format { get; init; }

    /// <summary>Columns.</summary>
    public required int Columns { get; init; }

    /// <summary>Rows.</summary>
    public required int Rows { get; init; }

    /// <summary>Number of frames (1 for PNG/JPEG).</summary>
    public int Frames { get; init; } = 1;

    /// <summary>Samples per pixel (1 or 3).</summary>
    public int SamplesPerPixel { get; init; } = 1;

    /// <summary>DICOM transfer syntax UID, null for PNG/JPEG.</summary>
    public string? TransferSyntaxUid { get; init; }

    /// <summary>Study Instance UID (0020,000D).</summary>
    public string? StudyInstanceUid { get; init; }

    /// <summary>Series Instance UID (0020,000E).</summary>
    public string? SeriesInstanceUid { get; init; }

    /// <summary>SOP Instance UID (0008,0018).</summary>
    public string? SopInstanceUid { get; init; }

    /// <summary>Modality (0008,0060), e.g. US, CT, CR, DX.</summary>
    public string? Modality { get; init; }

    /// <summary>Body Part Examined (0018,0015).</summary>
    public string? BodyPartExamined { get; init; }

    /// <summary>Photometric Interpretation (0028,0004) as stored.</summary>
    public string? PhotometricInterpretation { get; init; }

    /// <summary>Bits Stored (0028,0101), or the PNG/JPEG bit depth per sample.</summary>
    public int? BitsStored { get; init; }
}
