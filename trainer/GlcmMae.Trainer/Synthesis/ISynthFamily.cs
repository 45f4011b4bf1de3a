namespace GlcmMae.Trainer.Synthesis;

/// <summary>A family of labelled synthetic images: its classes, and one image of a class from a seeded generator.</summary>
internal interface ISynthFamily
{
    /// <summary>Class labels, in class-index order.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>One <paramref name="size"/> x <paramref name="size"/> image in [0, 1], rows-major.</summary>
    float[] Generate(int size, int classIndex, Random random);
}
