namespace GlcmMae.Trainer.Synthesis;

/// <summary>File format of generated scans.</summary>
internal enum SynthFormat
{
    /// <summary>8-bit grayscale PNG.</summary>
    Png,

    /// <summary>DICOM ultrasound, 8-bit MONOCHROME2.</summary>
    DicomUs,

    /// <summary>DICOM ultrasound, RGB (the gray image in three samples).</summary>
    DicomUsRgb,

    /// <summary>DICOM CT-like, 16-bit signed with rescale slope/intercept (HU) and a soft-tissue window.</summary>
    DicomCt,
}
