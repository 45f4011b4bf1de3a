namespace GlcmMae.Trainer.Losses;

/// <summary>How the GLCM term's squared differences are scaled before weighting.</summary>
internal enum GlcmNormalisation
{
    /// <summary>The method's: the mean over the K x K entries of soft counts. Its size grows with K and with the pixels per patch.</summary>
    Cells,

    /// <summary>
    /// The sum over the K x K entries of counts divided by the pixels per patch N: the method's value times K^2 / N^2, the
    /// same at the method's K = 256 and 16 px patches (256^2 / 256^2), and comparable across bin counts and patch sizes,
    /// so that the method's weights carry over to them.
    /// </summary>
    Pixels,
}
