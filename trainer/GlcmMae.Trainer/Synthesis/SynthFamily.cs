namespace GlcmMae.Trainer.Synthesis;

/// <summary>Which synthetic family <c>glcmmae synth</c> and <c>bench ssl</c> generate.</summary>
internal enum SynthFamily
{
    /// <summary>Ultrasound-like B-mode phantoms whose classes differ in lesion texture (<see cref="UltrasoundPhantom"/>).</summary>
    Ultrasound,

    /// <summary>Full-field textures with one intensity histogram for every class, differing only in co-occurrence structure (<see cref="TextureFieldFamily"/>).</summary>
    Texture,
}
