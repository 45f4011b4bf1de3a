namespace GlcmMae.Shared.Preprocessing;

/// <summary>How grayscale values are mapped to [0, 1].</summary>
public enum WindowMode
{
    /// <summary>No window: the full representable range of the encoding maps to [0, 1].</summary>
    None,

    /// <summary>The file's window (WindowCenter/Width by index, else its VOI LUT), else the image's min/max.</summary>
    Dicom,

    /// <summary>The spec's <see cref="PreprocessingSpec.WindowCenter"/> and <see cref="PreprocessingSpec.WindowWidth"/>.</summary>
    Explicit,

    /// <summary>Per image, from the low to the high percentile of its values.</summary>
    Percentile,
}
