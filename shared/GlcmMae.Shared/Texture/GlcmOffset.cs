namespace GlcmMae.Shared.Texture;

/// <summary>The displacement from a reference pixel to its neighbour: row and column steps.</summary>
/// <param name="Rows">Rows down (positive) from the reference pixel.</param>
/// <param name="Columns">Columns right (positive) from the reference pixel.</param>
public readonly record struct GlcmOffset(int Rows, int Columns)
{
    /// <summary>Pixel (i, j) with (i, j + 1): the method's horizontal direction.</summary>
    public static GlcmOffset Horizontal { get; } = new(0, 1);

    /// <summary>Pixel (i, j) with (i + 1, j): the method's vertical direction.</summary>
    public static GlcmOffset Vertical { get; } = new(1, 0);

    /// <summary>An offset at <paramref name="distance"/> pixels and an angle of 0, 45, 90 or 135 degrees (image axes, as in Haralick 1973).</summary>
    public static GlcmOffset FromAngle(int distance, int degrees) => degrees switch
    {
        0 => new(0, distance),
        45 => new(-distance, distance),
        90 => new(-distance, 0),
        135 => new(-distance, -distance),
        _ => throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "Use 0, 45, 90 or 135 degrees."),
    };
}
