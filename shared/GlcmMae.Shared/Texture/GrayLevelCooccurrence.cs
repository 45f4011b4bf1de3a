namespace GlcmMae.Shared.Texture;

/// <summary>A plain counting gray-level co-occurrence matrix: how often level i has a neighbour of level j at one offset.</summary>
/// <remarks>Not symmetrised and not normalised (entries sum to the number of pixel pairs), as the GLCM-MAE loss defines it; the reference for the soft version.</remarks>
public sealed class GrayLevelCooccurrence
{
    private readonly double[] _counts;

    private GrayLevelCooccurrence(int levels, double[] counts)
    {
        Levels = levels;
        _counts = counts;
    }

    /// <summary>Number of gray levels K (the matrix is K x K).</summary>
    public int Levels { get; }

    /// <summary>Count of pairs with reference level <paramref name="reference"/> and neighbour level <paramref name="neighbour"/>.</summary>
    public double this[int reference, int neighbour] => _counts[(reference * Levels) + neighbour];

    /// <summary>Sum of all entries: the number of pixel pairs counted.</summary>
    public double Total => _counts.Sum();

    /// <summary>The counts in row-major order (reference level major).</summary>
    public ReadOnlySpan<double> Counts => _counts;

    /// <summary>Counts the pairs of a row-major image (width x height) at one offset after quantizing with <paramref name="quantizer"/>.</summary>
    public static GrayLevelCooccurrence Count(ReadOnlySpan<float> image, int width, int height, GlcmOffset offset, GrayLevelQuantizer quantizer)
    {
        ArgumentNullException.ThrowIfNull(quantizer);
        if (image.Length < width * height)
        {
            throw new ArgumentException($"The image holds {image.Length} values, fewer than {width} x {height}.", nameof(image));
        }

        var levels = quantizer.Levels;
        var quantized = new int[width * height];
        for (var i = 0; i < quantized.Length; i++)
        {
            quantized[i] = quantizer.Quantize(image[i]);
        }

        var counts = new double[levels * levels];
        for (var row = Math.Max(0, -offset.Rows); row < Math.Min(height, height - offset.Rows); row++)
        {
            for (var column = Math.Max(0, -offset.Columns); column < Math.Min(width, width - offset.Columns); column++)
            {
                var reference = quantized[(row * width) + column];
                var neighbour = quantized[((row + offset.Rows) * width) + column + offset.Columns];
                counts[(reference * levels) + neighbour]++;
            }
        }

        return new GrayLevelCooccurrence(levels, counts);
    }

    /// <summary>Haralick-style statistics of this matrix, normalised to probabilities first.</summary>
    public GlcmFeatures ComputeFeatures() => GlcmFeatures.From(this);
}
