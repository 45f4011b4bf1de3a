namespace GlcmMae.Trainer.Synthesis;

/// <summary>How a class's lesion differs in texture: scatterer density, speckle correlation length and sparse bright reflectors.</summary>
/// <param name="Name">Class label.</param>
/// <param name="Density">Probability that a pixel holds a scatterer inside the lesion.</param>
/// <param name="Correlation">Point-spread-function scale inside the lesion (1 = the background's).</param>
/// <param name="Reflectors">Expected number of strong point reflectors (microcalcification-like) in the lesion.</param>
internal sealed record TextureClass(string Name, double Density, double Correlation, double Reflectors)
{
    /// <summary>Three classes like gallbladder ultrasound's normal / benign / malignant, differing only in lesion texture.</summary>
    public static IReadOnlyList<TextureClass> Defaults { get; } =
    [
        new("normal", Density: 0.6, Correlation: 1.0, Reflectors: 0),
        new("benign", Density: 0.06, Correlation: 1.7, Reflectors: 0),
        new("malignant", Density: 0.3, Correlation: 0.7, Reflectors: 14),
    ];
}
