using GlcmMae.Shared.Texture;

namespace GlcmMae.Trainer.Losses;

/// <summary>Settings of the soft GLCM loss; the defaults are those of the method's code.</summary>
internal sealed record GlcmLossOptions
{
    /// <summary>Gray levels K (bins over the data range).</summary>
    public int Bins { get; init; } = 256;

    /// <summary>Kernel sharpness L: the sigmoid width is bin width / L.</summary>
    public double Sharpness { get; init; } = 30;

    /// <summary>Pixel pairs counted: horizontal and vertical at distance 1 by default.</summary>
    public IReadOnlyList<GlcmOffset> Offsets { get; init; } = [GlcmOffset.Horizontal, GlcmOffset.Vertical];

    /// <summary>Apply f(G) = G(S - G)/S before comparing matrices (damps dominant entries).</summary>
    public bool Scale { get; init; } = true;

    /// <summary>How the term is scaled (<see cref="GlcmNormalisation"/>); the method's per-entry mean by default.</summary>
    public GlcmNormalisation Normalisation { get; init; } = GlcmNormalisation.Cells;

    /// <summary>Which pixels one GLCM counts pairs over: each patch (the method) or all masked patches of an image pooled.</summary>
    public GlcmRegion Region { get; init; } = GlcmRegion.Patch;

    /// <summary>
    /// The factor <see cref="Normalisation"/> multiplies the method's value by, for a GLCM counted over
    /// <paramref name="pixels"/> pixels (a patch's P x P, or the pooled patches' total): K^2 / N^2 for pixels, else 1.
    /// </summary>
    public double NormalisationFactor(double pixels) => Normalisation == GlcmNormalisation.Pixels
        ? (double)Bins * Bins / (pixels * pixels)
        : 1.0;

    /// <summary>Which of the two equal-valued implementations runs.</summary>
    public GlcmFormulation Formulation { get; init; } = GlcmFormulation.Sparse;

    /// <summary>Membership below which the sparse form drops a bin (and its gradient); the window keeps every bin that can exceed it.</summary>
    /// <remarks>1e-7 is float32 resolution next to the dominant membership (about 1): the published float32 form cannot resolve less.</remarks>
    public double Tolerance { get; init; } = 1e-7;

    /// <summary>Throws with a readable message when a setting cannot work.</summary>
    public GlcmLossOptions Validate()
    {
        if (Bins < 2)
        {
            throw new ArgumentException($"GLCM bins must be at least 2, not {Bins}.");
        }

        if (!(Sharpness > 0) || !double.IsFinite(Sharpness))
        {
            throw new ArgumentException($"GLCM sharpness must be a positive number, not {Sharpness}.");
        }

        if (Offsets.Count == 0 || Offsets.Any(o => o == default))
        {
            throw new ArgumentException("GLCM offsets must be non-empty and none may be (0, 0).");
        }

        if (!(Tolerance > 0 && Tolerance < 0.5))
        {
            throw new ArgumentException($"GLCM tolerance must lie in (0, 0.5), not {Tolerance}.");
        }

        return this;
    }
}
