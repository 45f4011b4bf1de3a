namespace GlcmMae.Shared.Imaging;

/// <summary>VOI LUT Function (0028,1056), PS3.3 C.11.2.1.3.</summary>
public enum VoiLutFunction
{
    /// <summary>The default window function (C.11.2.1.2.1).</summary>
    Linear,

    /// <summary>Exact linear window without the half-pixel offsets (C.11.2.1.3.2).</summary>
    LinearExact,

    /// <summary>Sigmoid (C.11.2.1.3.1).</summary>
    Sigmoid,
}
