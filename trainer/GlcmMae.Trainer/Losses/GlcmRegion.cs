namespace GlcmMae.Trainer.Losses;

/// <summary>Which pixels one GLCM of the loss counts pairs over.</summary>
internal enum GlcmRegion
{
    /// <summary>Each masked patch on its own (the method): one GLCM per patch, compared per patch.</summary>
    Patch,

    /// <summary>
    /// All masked patches of an image pooled: their soft counts summed into one GLCM per image (pairs stay within a
    /// patch), compared per image. Far more pairs per matrix, so less sampling noise (docs/science.md, "The GLCM term's
    /// noise, measured"); computed in the direct form, whose memory grows with patches x pairs x K.
    /// </summary>
    Image,
}
