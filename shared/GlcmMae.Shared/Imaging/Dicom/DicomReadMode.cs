namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>How much of a DICOM file to read.</summary>
public enum DicomReadMode
{
    /// <summary>Everything, including pixel data.</summary>
    Full,

    /// <summary>Stop at the pixel data element: metadata only, cheap for large files.</summary>
    MetadataOnly,
}
