namespace GlcmMae.Shared.Imaging;

/// <summary>File formats GlcmMae reads scans from, told apart by their bytes.</summary>
public enum ScanFormat
{
    /// <summary>Not a recognised scan format.</summary>
    Unknown,

    /// <summary>DICOM Part 10 file or bare dataset.</summary>
    Dicom,

    /// <summary>PNG.</summary>
    Png,

    /// <summary>JPEG (JFIF/EXIF).</summary>
    Jpeg,
}
