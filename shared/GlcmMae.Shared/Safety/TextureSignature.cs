using GlcmMae.Shared.Texture;

namespace GlcmMae.Shared.Safety;

/// <summary>
/// A scan's texture and intensity statistics on the model's own input (the preprocessed first channel): what the
/// <see cref="OodScoreKind.TextureDistance"/> score measures against the training scans. Intensities: mean, standard
/// deviation, skewness, excess kurtosis, mean gradient magnitude; GLCM (32 levels over the image's 1st-99th percentile,
/// horizontal and vertical pairs averaged) at distances 1 and 4: log contrast, homogeneity, correlation, energy, entropy.
/// </summary>
public static class TextureSignature
{
    /// <summary>Version of the feature list; a reference fitted to another version is not comparable.</summary>
    public const int Version = 1;

    /// <summary>Number of features.</summary>
    public const int Length = 15;

    private const int Levels = 32;

    /// <summary>The features of one preprocessed image (channel-major; channel 0 is used).</summary>
    public static double[] Compute(ReadOnlySpan<float> pixels, int height, int width)
    {
        var plane = pixels[..(height * width)];
        var n = plane.Length;
        double mean = 0;
        foreach (var v in plane)
        {
            mean += v;
        }

        mean /= n;
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (var v in plane)
        {
            var d = v - mean;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }

        (m2, m3, m4) = (m2 / n, m3 / n, m4 / n);
        var std = Math.Sqrt(m2);
        var skewness = std > 1e-9 ? m3 / (std * std * std) : 0;
        var kurtosis = std > 1e-9 ? (m4 / (m2 * m2)) - 3 : 0;
        double gradient = 0;
        for (var y = 0; y < height - 1; y++)
        {
            for (var x = 0; x < width - 1; x++)
            {
                var here = plane[(y * width) + x];
                var (dx, dy) = (plane[(y * width) + x + 1] - here, plane[((y + 1) * width) + x] - here);
                gradient += Math.Sqrt((dx * dx) + (dy * dy));
            }
        }

        gradient /= Math.Max(1, (height - 1) * (width - 1));
        // The 1st and 99th percentiles as order statistics, found by selection (linear) rather than a sort: this runs
        // for every served scan.
        var values = plane.ToArray();
        var (low, high) = (Select(values, (int)(0.01 * (n - 1))), Select(values, (int)(0.99 * (n - 1))));
        var quantizer = new GrayLevelQuantizer(Levels, low, high > low ? high : low + 1e-6);
        var features = new List<double> { mean, std, skewness, kurtosis, gradient };
        foreach (var distance in new[] { 1, 4 })
        {
            var horizontal = GrayLevelCooccurrence.Count(plane, width, height, new GlcmOffset(0, distance), quantizer).ComputeFeatures();
            var vertical = GrayLevelCooccurrence.Count(plane, width, height, new GlcmOffset(distance, 0), quantizer).ComputeFeatures();
            features.Add(Math.Log(1 + ((horizontal.Contrast + vertical.Contrast) / 2)));
            features.Add((horizontal.Homogeneity + vertical.Homogeneity) / 2);
            features.Add((horizontal.Correlation + vertical.Correlation) / 2);
            features.Add((horizontal.Energy + vertical.Energy) / 2);
            features.Add((horizontal.Entropy + vertical.Entropy) / 2);
        }

        return [.. features];
    }

    /// <summary>The value a sort would put at index <paramref name="k"/> (Hoare's selection; reorders <paramref name="values"/>, ordered as <see cref="float.CompareTo(float)"/> orders them).</summary>
    internal static float Select(float[] values, int k)
    {
        var (left, right) = (0, values.Length - 1);
        while (left < right)
        {
            var pivot = values[left + ((right - left) / 2)];
            var (i, j) = (left, right);
            while (i <= j)
            {
                while (values[i].CompareTo(pivot) < 0)
                {
                    i++;
                }

                while (values[j].CompareTo(pivot) > 0)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }
}
