namespace GlcmMae.Trainer.Synthesis;

/// <summary>The generator of each <see cref="SynthFamily"/>.</summary>
internal static class SynthFamilies
{
    /// <summary>The family's default classes; <paramref name="lesionScale"/> applies to the ultrasound phantoms only.</summary>
    public static ISynthFamily Create(SynthFamily family, double lesionScale = 1) => family switch
    {
        SynthFamily.Ultrasound => new UltrasoundFamily(null, lesionScale),
        SynthFamily.Texture => new TextureFieldFamily(),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown synthetic family."),
    };
}
