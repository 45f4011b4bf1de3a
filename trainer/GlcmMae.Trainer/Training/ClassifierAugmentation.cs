namespace GlcmMae.Trainer.Training;

/// <summary>Train-time augmentation for fine-tuning, on preprocessed CHW images in [0, 1]; deterministic for a given random source.</summary>
/// <remarks>
/// RandAugment follows timm's rand-m9-mstd0.5-inc1 operation list and magnitude ranges; Color is left out because it is the
/// identity on grayscale scans. Geometric operations fill with 0.5 (timm fills with the ImageNet mean, about 0.5).
/// </remarks>
internal static class ClassifierAugmentation
{
    private const float Fill = 0.5f;

    private enum Operation
    {
        AutoContrast,
        Equalize,
        Invert,
        Rotate,
        Posterize,
        Solarize,
        SolarizeAdd,
        Contrast,
        Brightness,
        Sharpness,
        ShearX,
        ShearY,
        TranslateX,
        TranslateY,
    }

    /// <summary>Applies crop, flip, RandAugment and erasing to one square image in place.</summary>
    public static void Apply(ClassifierAugmentationOptions options, float[] image, int channels, int size, Random random)
    {
        if (!options.Enabled)
        {
            return;
        }

        if (options.MinCropScale < 1)
        {
            Augmentation.RandomResizedCrop(image, channels, size, random, options.MinCropScale);
        }

        if (random.NextDouble() < options.FlipProbability)
        {
            Augmentation.FlipHorizontally(image, channels, size);
        }

        var operations = Enum.GetValues<Operation>();
        for (var i = 0; i < options.Operations; i++)
        {
            var operation = operations[random.Next(operations.Length)];
            if (random.NextDouble() >= options.OperationProbability)
            {
                continue;
            }

            var magnitude = Math.Clamp(options.Magnitude + (options.MagnitudeStd * Gaussian(random)), 0, 10) / 10;
            ApplyOperation(operation, magnitude, image, channels, size, random);
        }

        if (random.NextDouble() < options.ErasingProbability)
        {
            Erase(image, channels, size, random);
        }
    }

    private static void ApplyOperation(Operation operation, double magnitude, float[] image, int channels, int size, Random random)
    {
        // Signed operations go either way with equal probability, as in timm.
        var signed = random.NextDouble() < 0.5 ? -magnitude : magnitude;
        switch (operation)
        {
            case Operation.AutoContrast:
                PerPlane(image, channels, size, AutoContrast);
                break;
            case Operation.Equalize:
                PerPlane(image, channels, size, Equalize);
                break;
            case Operation.Invert:
                Map(image, v => 1 - v);
                break;
            case Operation.Rotate:
                Warp(image, channels, size, Affine.Rotation(signed * 30 * Math.PI / 180, size));
                break;
            case Operation.Posterize:
                var levels = 1 << (int)Math.Round(8 - (magnitude * 4));
                Map(image, v => MathF.Floor(Math.Clamp(v, 0, 1) * (levels - 1e-4f)) / (levels - 1));
                break;
            case Operation.Solarize:
                var threshold = (float)(1 - magnitude);
                Map(image, v => v >= threshold ? 1 - v : v);
                break;
            case Operation.SolarizeAdd:
                var add = (float)(magnitude * 110 / 255);
                Map(image, v => v < 0.5f ? Math.Min(1, v + add) : v);
                break;
            case Operation.Contrast:
                PerPlane(image, channels, size, (plane, _) => Blend(plane, Mean(plane), 1 + (signed * 0.9)));
                break;
            case Operation.Brightness:
                PerPlane(image, channels, size, (plane, _) => Blend(plane, 0, 1 + (signed * 0.9)));
                break;
            case Operation.Sharpness:
                PerPlane(image, channels, size, (plane, side) => Sharpen(plane, side, 1 + (signed * 0.9)));
                break;
            case Operation.ShearX:
                Warp(image, channels, size, Affine.Shear(signed * 0.3, 0, size));
                break;
            case Operation.ShearY:
                Warp(image, channels, size, Affine.Shear(0, signed * 0.3, size));
                break;
            case Operation.TranslateX:
                Warp(image, channels, size, Affine.Translation(signed * 0.45 * size, 0));
                break;
            case Operation.TranslateY:
                Warp(image, channels, size, Affine.Translation(0, signed * 0.45 * size));
                break;
        }
    }

    /// <summary>timm's RandomErasing (one rectangle, area 2-33%, aspect 0.3-3.3) filled with per-pixel noise.</summary>
    public static void Erase(float[] image, int channels, int size, Random random)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var area = size * size * (0.02 + (random.NextDouble() * (1.0 / 3 - 0.02)));
            var aspect = Math.Exp(Math.Log(0.3) + (random.NextDouble() * (Math.Log(1 / 0.3) - Math.Log(0.3))));
            var h = (int)Math.Round(Math.Sqrt(area * aspect));
            var w = (int)Math.Round(Math.Sqrt(area / aspect));
            if (h < size && w < size)
            {
                var top = random.Next(size - h + 1);
                var left = random.Next(size - w + 1);
                for (var c = 0; c < channels; c++)
                {
                    for (var y = top; y < top + h; y++)
                    {
                        for (var x = left; x < left + w; x++)
                        {
                            image[(c * size * size) + (y * size) + x] = (float)random.NextDouble();
                        }
                    }
                }

                return;
            }
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static void Map(float[] image, Func<float, float> f)
    {
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = f(image[i]);
        }
    }

    private static void PerPlane(float[] image, int channels, int size, Action<Span<float>, int> action)
    {
        for (var c = 0; c < channels; c++)
        {
            action(image.AsSpan(c * size * size, size * size), size);
        }
    }

    private static float Mean(Span<float> plane)
    {
        double sum = 0;
        foreach (var v in plane)
        {
            sum += v;
        }

        return (float)(sum / plane.Length);
    }

    private static void Blend(Span<float> plane, float degenerate, double factor)
    {
        for (var i = 0; i < plane.Length; i++)
        {
            plane[i] = Math.Clamp(degenerate + (float)((plane[i] - degenerate) * factor), 0, 1);
        }
    }

    private static void AutoContrast(Span<float> plane, int size)
    {
        var (min, max) = (float.MaxValue, float.MinValue);
        foreach (var v in plane)
        {
            (min, max) = (Math.Min(min, v), Math.Max(max, v));
        }

        if (max - min < 1e-6f)
        {
            return;
        }

        for (var i = 0; i < plane.Length; i++)
        {
            plane[i] = (plane[i] - min) / (max - min);
        }
    }

    private static void Equalize(Span<float> plane, int size)
    {
        Span<int> histogram = stackalloc int[256];
        foreach (var v in plane)
        {
            histogram[Math.Clamp((int)(v * 255 + 0.5f), 0, 255)]++;
        }

        Span<float> cdf = stackalloc float[256];
        var running = 0;
        for (var b = 0; b < 256; b++)
        {
            running += histogram[b];
            cdf[b] = (float)running / plane.Length;
        }

        for (var i = 0; i < plane.Length; i++)
        {
            plane[i] = cdf[Math.Clamp((int)(plane[i] * 255 + 0.5f), 0, 255)];
        }
    }

    private static void Sharpen(Span<float> plane, int size, double factor)
    {
        // PIL's SHARPEN degenerate: 3x3 smoothing kernel (centre 5, others 1, /13) on the interior, border unchanged.
        var smooth = plane.ToArray();
        for (var y = 1; y < size - 1; y++)
        {
            for (var x = 1; x < size - 1; x++)
            {
                float sum = 0;
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        sum += plane[((y + dy) * size) + x + dx] * (dx == 0 && dy == 0 ? 5 : 1);
                    }
                }

                smooth[(y * size) + x] = sum / 13;
            }
        }

        for (var i = 0; i < plane.Length; i++)
        {
            plane[i] = Math.Clamp(smooth[i] + (float)((plane[i] - smooth[i]) * factor), 0, 1);
        }
    }

    private static void Warp(float[] image, int channels, int size, Affine inverse)
    {
        var source = (float[])image.Clone();
        for (var c = 0; c < channels; c++)
        {
            var offset = c * size * size;
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    var (sx, sy) = inverse.Map(x, y);
                    image[offset + (y * size) + x] = Sample(source, offset, size, sx, sy);
                }
            }
        }
    }

    private static float Sample(float[] source, int offset, int size, double x, double y)
    {
        if (x < 0 || y < 0 || x > size - 1 || y > size - 1)
        {
            return Fill;
        }

        var x0 = (int)x;
        var y0 = (int)y;
        var x1 = Math.Min(x0 + 1, size - 1);
        var y1 = Math.Min(y0 + 1, size - 1);
        var fx = (float)(x - x0);
        var fy = (float)(y - y0);
        var top = source[offset + (y0 * size) + x0] + ((source[offset + (y0 * size) + x1] - source[offset + (y0 * size) + x0]) * fx);
        var bottom = source[offset + (y1 * size) + x0] + ((source[offset + (y1 * size) + x1] - source[offset + (y1 * size) + x0]) * fx);
        return top + ((bottom - top) * fy);
    }

    /// <summary>An output-to-input pixel mapping: (x, y) -> (a x + b y + c, d x + e y + f).</summary>
    private readonly record struct Affine(double A, double B, double C, double D, double E, double F)
    {
        public (double X, double Y) Map(int x, int y) => ((A * x) + (B * y) + C, (D * x) + (E * y) + F);

        public static Affine Rotation(double angle, int size)
        {
            var centre = (size - 1) / 2.0;
            var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
            return new Affine(cos, sin, centre - (cos * centre) - (sin * centre), -sin, cos, centre + (sin * centre) - (cos * centre));
        }

        public static Affine Shear(double x, double y, int size)
        {
            var centre = (size - 1) / 2.0;
            return new Affine(1, x, -x * centre, y, 1, -y * centre);
        }

        public static Affine Translation(double x, double y) => new(1, 0, -x, 0, 1, -y);
    }
}
