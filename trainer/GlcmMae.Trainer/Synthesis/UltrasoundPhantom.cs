using System.Numerics;

namespace GlcmMae.Trainer.Synthesis;

/// <summary>B-mode-like images: random scatterers convolved with an ultrasound point-spread function, envelope, log compression, one elliptical lesion.</summary>
/// <remarks>
/// Lesion geometry and the mean intensities of lesion and background are drawn from the same distributions for every
/// class, and each image's log-compressed lesion and background are shifted to those means, so brightness and shape
/// carry no class information: only texture (speckle size, granularity, bright specks) does.
/// </remarks>
internal static class UltrasoundPhantom
{
    private const double DynamicRangeDb = 50;
    private const double Wavelength = 4.0;
    private const double BackgroundDensity = 0.5;

    /// <summary>One image in [0, 1], rows-major, and its lesion mask; <paramref name="lesionScale"/> multiplies the lesion's semi-axes.</summary>
    public static (float[] Image, bool[] Lesion) Generate(int size, TextureClass textureClass, Random random, double lesionScale = 1)
    {
        var lesion = Ellipse(size, lesionScale, random);
        var background = Envelope(size, BackgroundDensity, 1.0, 0, null, random);
        var inside = Envelope(size, textureClass.Density, textureClass.Correlation, textureClass.Reflectors, lesion, random);
        var image = new float[size * size];
        var backgroundMean = 0.45 + (0.15 * random.NextDouble());
        var lesionMean = 0.3 + (0.3 * random.NextDouble());
        var logBackground = LogCompress(background);
        var logLesion = LogCompress(inside);
        var shiftBackground = Shift(logBackground, lesion, false, backgroundMean);
        var shiftLesion = Shift(logLesion, lesion, true, lesionMean);
        for (var i = 0; i < image.Length; i++)
        {
            var value = lesion[i] ? logLesion[i] + shiftLesion : logBackground[i] + shiftBackground;
            image[i] = (float)Math.Clamp(value, 0, 1);
        }

        return (image, lesion);
    }

    private static bool[] Ellipse(int size, double scale, Random random)
    {
        var centreX = size * (0.35 + (0.3 * random.NextDouble()));
        var centreY = size * (0.35 + (0.3 * random.NextDouble()));
        var a = size * scale * (0.15 + (0.12 * random.NextDouble()));
        var b = size * scale * (0.12 + (0.1 * random.NextDouble()));
        var angle = Math.PI * random.NextDouble();
        var (sin, cos) = Math.SinCos(angle);
        var mask = new bool[size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var dx = x - centreX;
                var dy = y - centreY;
                var u = ((dx * cos) + (dy * sin)) / a;
                var v = ((-dx * sin) + (dy * cos)) / b;
                mask[(y * size) + x] = (u * u) + (v * v) <= 1;
            }
        }

        return mask;
    }

    // Scatterers (Gaussian amplitudes at the given density, plus strong reflectors inside the mask) convolved with a
    // separable complex PSF: Gaussian-modulated carrier along the beam (rows), Gaussian across it; the modulus is the envelope.
    private static double[] Envelope(int size, double density, double correlation, double reflectors, bool[]? region, Random random)
    {
        var scatterers = new double[size * size];
        for (var i = 0; i < scatterers.Length; i++)
        {
            if (random.NextDouble() < density)
            {
                scatterers[i] = Normal(random) / Math.Sqrt(density);
            }
        }

        if (region is not null && reflectors > 0)
        {
            var count = Poisson(reflectors, random);
            var inside = Enumerable.Range(0, region.Length).Where(i => region[i]).ToArray();
            for (var k = 0; k < count && inside.Length > 0; k++)
            {
                scatterers[inside[random.Next(inside.Length)]] += (6 + (6 * random.NextDouble())) / Math.Sqrt(density);
            }
        }

        var axialSigma = 1.2 * correlation;
        var lateralSigma = 2.0 * correlation;
        var axial = Kernel(axialSigma, carrier: true);
        var lateral = Kernel(lateralSigma, carrier: false);
        var rows = new Complex[size * size];
        var radius = lateral.Length / 2;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                double sum = 0;
                for (var k = -radius; k <= radius; k++)
                {
                    var xx = x + k;
                    if (xx >= 0 && xx < size)
                    {
                        sum += scatterers[(y * size) + xx] * lateral[k + radius].Real;
                    }
                }

                rows[(y * size) + x] = sum;
            }
        }

        var envelope = new double[size * size];
        radius = axial.Length / 2;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                Complex sum = 0;
                for (var k = -radius; k <= radius; k++)
                {
                    var yy = y + k;
                    if (yy >= 0 && yy < size)
                    {
                        sum += rows[(yy * size) + x] * axial[k + radius];
                    }
                }

                envelope[(y * size) + x] = sum.Magnitude;
            }
        }

        return envelope;
    }

    private static Complex[] Kernel(double sigma, bool carrier)
    {
        var radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new Complex[(2 * radius) + 1];
        for (var k = -radius; k <= radius; k++)
        {
            var gauss = Math.Exp(-(k * k) / (2 * sigma * sigma));
            kernel[k + radius] = carrier ? Complex.FromPolarCoordinates(gauss, 2 * Math.PI * k / Wavelength) : gauss;
        }

        return kernel;
    }

    // 20 log10 of the envelope over a fixed dynamic range below its 99th percentile, scaled to [0, 1].
    private static double[] LogCompress(double[] envelope)
    {
        var sorted = envelope.Order().ToArray();
        var reference = Math.Max(sorted[(int)(0.99 * (sorted.Length - 1))], 1e-12);
        return [.. envelope.Select(e => 1 + (20 * Math.Log10(Math.Max(e, 1e-12) / reference) / DynamicRangeDb))];
    }

    // The shift that gives the region the wanted mean after clipping to [0, 1] (clipping would otherwise leak class
    // information: sparse speckle has more clipped dark pixels). The clipped mean grows monotonically with the shift.
    private static double Shift(double[] values, bool[] mask, bool inside, double target)
    {
        var (low, high) = (-2.0, 2.0);
        for (var iteration = 0; iteration < 40; iteration++)
        {
            var middle = (low + high) / 2;
            if (ClippedMean(values, mask, inside, middle) < target)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return (low + high) / 2;
    }

    private static double ClippedMean(double[] values, bool[] mask, bool inside, double shift)
    {
        double sum = 0;
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (mask[i] == inside)
            {
                sum += Math.Clamp(values[i] + shift, 0, 1);
                count++;
            }
        }

        return count == 0 ? 0 : sum / count;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static int Poisson(double mean, Random random)
    {
        var limit = Math.Exp(-mean);
        var count = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
        {
            count++;
        }

        return count;
    }
}
