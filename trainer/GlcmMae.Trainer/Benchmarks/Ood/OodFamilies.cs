using GlcmMae.Trainer.Synthesis;

namespace GlcmMae.Trainer.Benchmarks.Ood;

/// <summary>
/// Scans of kinds a texture classifier trained on ultrasound phantoms never saw: another synthetic texture family,
/// CT-like anatomy, natural-image-like (1/f) noise, white noise, geometric patterns (screenshots, text), each as PNG so
/// that no header gives them away; and a CT DICOM, which the scope gate should refuse before any score.
/// </summary>
internal static class OodFamilies
{
    /// <summary>The families, by name.</summary>
    public static IReadOnlyList<string> Names { get; } = ["other-texture-family", "ct-like-anatomy", "natural-like-noise", "white-noise", "geometric-pattern", "dicom-ct"];

    /// <summary>Scan <paramref name="index"/> of <paramref name="family"/>, <paramref name="size"/> pixels square, as file bytes.</summary>
    public static byte[] Scan(string family, int size, int index)
    {
        var random = new Random(HashCode.Combine(family.Length, family[0], index));
        return family switch
        {
            "other-texture-family" => Png(UltrasoundPhantom.Generate(size, new TextureClass("foreign", Density: 1.0, Correlation: 4.0, Reflectors: 60), random).Image, size, index),
            "ct-like-anatomy" => Png(Anatomy(size, random), size, index),
            "natural-like-noise" => Png(PinkNoise(size, random), size, index),
            "white-noise" => Png([.. Enumerable.Range(0, size * size).Select(_ => (float)random.NextDouble())], size, index),
            "geometric-pattern" => Png(Pattern(size, random), size, index),
            "dicom-ct" => SynthDatasetWriter.Encode(Anatomy(size, random), size, SynthFormat.DicomCt, 7, index),
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown family."),
        };
    }

    private static byte[] Png(float[] image, int size, int index) => SynthDatasetWriter.Encode(image, size, SynthFormat.Png, 7, index);

    /// <summary>An axial slice: air outside an elliptic body, soft tissue, a few organs, a bright bone ring, a little noise.</summary>
    private static float[] Anatomy(int size, Random random)
    {
        var image = new float[size * size];
        var (rx, ry) = (0.42 + (0.05 * random.NextDouble()), 0.32 + (0.05 * random.NextDouble()));
        var organs = Enumerable.Range(0, 4).Select(_ => (X: (random.NextDouble() - 0.5) * 0.4, Y: (random.NextDouble() - 0.5) * 0.3, R: 0.05 + (0.08 * random.NextDouble()), V: 0.35 + (0.3 * random.NextDouble()))).ToArray();
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var (u, v) = (((double)x / size) - 0.5, ((double)y / size) - 0.5);
                var body = ((u * u) / (rx * rx)) + ((v * v) / (ry * ry));
                var value = body > 1 ? 0.02 : body > 0.85 ? 0.95 : 0.5;
                foreach (var organ in organs)
                {
                    if (body <= 0.85 && ((u - organ.X) * (u - organ.X)) + ((v - organ.Y) * (v - organ.Y)) < organ.R * organ.R)
                    {
                        value = organ.V;
                    }
                }

                image[(y * size) + x] = (float)Math.Clamp(value + (0.02 * ((random.NextDouble() * 2) - 1)), 0, 1);
            }
        }

        return image;
    }

    /// <summary>Value noise summed over octaves with amplitude halving per octave: a 1/f spectrum, as natural images have.</summary>
    private static float[] PinkNoise(int size, Random random)
    {
        var image = new float[size * size];
        var amplitude = 1.0;
        var total = 0.0;
        for (var cells = 2; cells <= size / 2; cells *= 2, amplitude /= 2)
        {
            var grid = new double[(cells + 1) * (cells + 1)];
            for (var i = 0; i < grid.Length; i++)
            {
                grid[i] = random.NextDouble();
            }

            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    var (gx, gy) = ((double)x * cells / size, (double)y * cells / size);
                    var (x0, y0) = ((int)gx, (int)gy);
                    var (fx, fy) = (gx - x0, gy - y0);
                    var top = (grid[(y0 * (cells + 1)) + x0] * (1 - fx)) + (grid[(y0 * (cells + 1)) + x0 + 1] * fx);
                    var bottom = (grid[((y0 + 1) * (cells + 1)) + x0] * (1 - fx)) + (grid[((y0 + 1) * (cells + 1)) + x0 + 1] * fx);
                    image[(y * size) + x] += (float)(amplitude * ((top * (1 - fy)) + (bottom * fy)));
                }
            }

            total += amplitude;
        }

        for (var i = 0; i < image.Length; i++)
        {
            image[i] = (float)(image[i] / total);
        }

        return image;
    }

    /// <summary>Checkerboards and stripes at a random scale and angle: hard edges no ultrasound has.</summary>
    private static float[] Pattern(int size, Random random)
    {
        var image = new float[size * size];
        var period = 6 + random.Next(30);
        var angle = random.NextDouble() * Math.PI;
        var (c, s) = (Math.Cos(angle), Math.Sin(angle));
        var checker = random.Next(2) == 0;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var (u, v) = ((x * c) + (y * s), (-x * s) + (y * c));
                var on = checker ? ((int)Math.Floor(u / period) + (int)Math.Floor(v / period)) % 2 == 0 : (int)Math.Floor(u / period) % 2 == 0;
                image[(y * size) + x] = on ? 0.9f : 0.1f;
            }
        }

        return image;
    }
}
