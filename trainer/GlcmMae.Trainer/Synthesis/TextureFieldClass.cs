namespace GlcmMae.Trainer.Synthesis;

/// <summary>One class of <see cref="TextureFieldFamily"/>: the correlation lengths (Gaussian sigmas, pixels) of its field along rows and columns.</summary>
/// <param name="Name">Class label.</param>
/// <param name="SigmaDown">Correlation length down the image (between rows).</param>
/// <param name="SigmaAcross">Correlation length across the image (between columns).</param>
internal sealed record TextureFieldClass(string Name, double SigmaDown, double SigmaAcross)
{
    /// <summary>
    /// Four classes of one outline (a full field) and one histogram: fine grain, coarse grain, and the coarse length
    /// along one axis only (streaks across, streaks down). Close enough that a pixel classifier needs the pixel-pair
    /// statistics, far enough that those statistics separate them.
    /// </summary>
    public static IReadOnlyList<TextureFieldClass> Defaults { get; } =
    [
        new("fine", 1.0, 1.0),
        new("coarse", 1.3, 1.3),
        new("streaks-across", 1.0, 1.3),
        new("streaks-down", 1.3, 1.0),
    ];
}
