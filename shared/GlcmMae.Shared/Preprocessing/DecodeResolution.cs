namespace GlcmMae.Shared.Preprocessing;

/// <summary>At which resolution a scan is decoded before preprocessing resizes it.</summary>
public enum DecodeResolution
{
    /// <summary>Every scan decodes at its full size (the method's behaviour, and the default).</summary>
    Full,

    /// <summary>
    /// JPEG 2000 and HTJ2K frames decode only the wavelet resolution level whose shorter side is just large enough for
    /// <see cref="PreprocessingSpec.ResizeShorterSide"/>, which is several times faster for images much larger than the
    /// model's input; other scans decode in full. The pixels are the codestream's low-pass band, not a resize of the
    /// full frame, so a model trained one way must be served the same way.
    /// </summary>
    Reduced,
}
