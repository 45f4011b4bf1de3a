namespace GlcmMae.Trainer.Synthesis;

/// <summary>
/// Texture-only images: a Gaussian random field smoothed with an axis-aligned Gaussian of the class's correlation
/// lengths, then rank-transformed to a uniform histogram. Every image of every class has the same intensity histogram
/// (exactly, when the pixel count is a multiple of 256, at 8 bits), so only the co-occurrence structure, which
/// GLCMs measure, tells the classes apart.
/// </summary>
/// <param name="classes">The classes; null: <see cref="TextureFieldClass.Defaults"/>.</param>
/// <param name="jitter">Per-image log-normal spread of the correlation lengths (0.08: about 8 %), so a class is a range, not a point.</param>
internal sealed class TextureFieldFamily(IReadOnlyList<TextureFieldClass>? classes = null, double jitter = 0.08) : ISynthFamily
{
    private readonly IReadOnlyList<TextureFieldClass> _classes = classes ?? TextureFieldClass.Defaults;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => [.. _classes.Select(c => c.Name)];

    /// <inheritdoc />
    public float[] Generate(int size, int classIndex, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var textureClass = _classes[classIndex];
        var scale = Math.Exp(jitter * Normal(random));
        var down = textureClass.SigmaDown * scale;
        var across = textureClass.SigmaAcross * scale;
        var pad = (int)Math.Ceiling(3 * Math.Max(down, across));
        var side = size + (2 * pad);
        var noise = new double[side * side];
        for (var i = 0; i < noise.Length; i++)
        {
            noise[i] = Normal(random);
        }

        var smoothed = Smooth(Smooth(noise, side, across, horizontal: true), side, down, horizontal: false);
        var field = new double[size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                field[(y * size) + x] = smoothed[((y + pad) * side) + x + pad];
            }
        }

        return Uniform(field);
    }

    /// <summary>Ranks to (rank + 0.5) / n: the histogram of every image is the same uniform one.</summary>
    internal static float[] Uniform(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).ToArray();
        Array.Sort([.. values], order);
        var image = new float[values.Length];
        for (var rank = 0; rank < order.Length; rank++)
        {
            image[order[rank]] = (float)((rank + 0.5) / order.Length);
        }

        return image;
    }

    private static double[] Smooth(double[] image, int side, double sigma, bool horizontal)
    {
        var radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new double[(2 * radius) + 1];
        for (var k = -radius; k <= radius; k++)
        {
            kernel[k + radius] = Math.Exp(-(k * k) / (2 * sigma * sigma));
        }

        var norm = kernel.Sum();
        var result = new double[image.Length];
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                double sum = 0;
                for (var k = -radius; k <= radius; k++)
                {
                    var (sy, sx) = horizontal ? (y, Math.Clamp(x + k, 0, side - 1)) : (Math.Clamp(y + k, 0, side - 1), x);
                    sum += kernel[k + radius] * image[(sy * side) + sx];
                }

                result[(y * side) + x] = sum / norm;
            }
        }

        return result;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
