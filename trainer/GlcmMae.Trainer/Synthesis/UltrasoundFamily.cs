namespace GlcmMae.Trainer.Synthesis;

/// <summary>The ultrasound phantoms as a family: <see cref="TextureClass"/>es of lesion texture, lesions scaled by <paramref name="lesionScale"/>.</summary>
internal sealed class UltrasoundFamily(IReadOnlyList<TextureClass>? classes = null, double lesionScale = 1) : ISynthFamily
{
    private readonly IReadOnlyList<TextureClass> _classes = classes ?? TextureClass.Defaults;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => [.. _classes.Select(c => c.Name)];

    /// <inheritdoc />
    public float[] Generate(int size, int classIndex, Random random) => UltrasoundPhantom.Generate(size, _classes[classIndex], random, lesionScale).Image;
}
