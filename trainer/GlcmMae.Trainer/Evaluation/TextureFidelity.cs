using GlcmMae.Shared.Texture;

namespace GlcmMae.Trainer.Evaluation;

/// <summary>
/// How faithfully a reconstruction keeps the texture of the truth, on the patches the autoencoder had to invent (the
/// masked ones): the paper's mechanism is that GLCM-MAE reconstructs texture that the pixel MSE blurs.
/// </summary>
/// <param name="Images">Images measured.</param>
/// <param name="MaskedMse">Pixel mean squared error on the masked patches (what plain MAE minimises).</param>
/// <param name="GlcmDistance">Mean L1 distance between the normalised 16-level GLCMs (across and down) of each masked patch and its truth, 0 (same) to 2.</param>
/// <param name="ContrastError">Mean absolute GLCM-contrast error per masked patch, relative to the truth's mean contrast (blur shows as a contrast deficit).</param>
/// <param name="EntropyError">Mean absolute GLCM-entropy error per masked patch, in bits.</param>
/// <param name="HomogeneityError">Mean absolute GLCM-homogeneity error per masked patch.</param>
/// <param name="SpectrumDistance">Mean absolute difference of the radially averaged log10 power spectra of reconstruction (masked patches pasted into the truth) and truth.</param>
internal sealed record TextureFidelity(int Images, double MaskedMse, double GlcmDistance, double ContrastError, double EntropyError, double HomogeneityError, double SpectrumDistance)
{
    /// <summary>Grey levels of the per-patch GLCMs: 16 keeps a 16 x 16 patch's 240 pairs per offset meaningful.</summary>
    public const int Levels = 16;

    private static readonly GlcmOffset[] Offsets = [GlcmOffset.Horizontal, GlcmOffset.Vertical];

    /// <summary>Measures square images of side <paramref name="size"/> (values in [0, 1]) against their reconstructions on the masked patches.</summary>
    /// <param name="truth">Per image, the true pixels (rows-major).</param>
    /// <param name="reconstruction">Per image, the reconstruction (rows-major).</param>
    /// <param name="masked">Per image, per patch (row-major over the patch grid), whether the patch was masked.</param>
    /// <param name="size">Image side.</param>
    /// <param name="patchSize">Patch side.</param>
    public static TextureFidelity Measure(IReadOnlyList<float[]> truth, IReadOnlyList<float[]> reconstruction, IReadOnlyList<bool[]> masked, int size, int patchSize)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(reconstruction);
        ArgumentNullException.ThrowIfNull(masked);
        var quantizer = new GrayLevelQuantizer(Levels, 0, 1);
        var grid = size / patchSize;
        double mse = 0, glcm = 0, contrastTrue = 0, contrastError = 0, entropy = 0, homogeneity = 0, spectrum = 0;
        var patches = 0;
        for (var n = 0; n < truth.Count; n++)
        {
            var composite = (float[])truth[n].Clone();
            for (var p = 0; p < grid * grid; p++)
            {
                if (!masked[n][p])
                {
                    continue;
                }

                var (rowStart, columnStart) = (p / grid * patchSize, p % grid * patchSize);
                var real = new float[patchSize * patchSize];
                var made = new float[patchSize * patchSize];
                for (var y = 0; y < patchSize; y++)
                {
                    for (var x = 0; x < patchSize; x++)
                    {
                        var index = ((rowStart + y) * size) + columnStart + x;
                        real[(y * patchSize) + x] = truth[n][index];
                        made[(y * patchSize) + x] = Math.Clamp(reconstruction[n][index], 0f, 1f);
                        composite[index] = made[(y * patchSize) + x];
                        mse += (reconstruction[n][index] - truth[n][index]) * (double)(reconstruction[n][index] - truth[n][index]);
                    }
                }

                foreach (var offset in Offsets)
                {
                    var a = GrayLevelCooccurrence.Count(real, patchSize, patchSize, offset, quantizer);
                    var b = GrayLevelCooccurrence.Count(made, patchSize, patchSize, offset, quantizer);
                    glcm += Distance(a, b) / Offsets.Length;
                    var (fa, fb) = (a.ComputeFeatures(), b.ComputeFeatures());
                    contrastTrue += fa.Contrast / Offsets.Length;
                    contrastError += Math.Abs(fa.Contrast - fb.Contrast) / Offsets.Length;
                    entropy += Math.Abs(fa.Entropy - fb.Entropy) / Offsets.Length;
                    homogeneity += Math.Abs(fa.Homogeneity - fb.Homogeneity) / Offsets.Length;
                }

                patches++;
            }

            spectrum += SpectrumGap(truth[n], composite, size);
        }

        if (patches == 0)
        {
            throw new ArgumentException("No masked patch to measure.");
        }

        return new TextureFidelity(
            truth.Count,
            mse / (patches * patchSize * patchSize),
            glcm / patches,
            contrastTrue > 0 ? contrastError / contrastTrue : 0,
            entropy / patches,
            homogeneity / patches,
            spectrum / truth.Count);
    }

    private static double Distance(GrayLevelCooccurrence a, GrayLevelCooccurrence b)
    {
        var (ta, tb) = (a.Total, b.Total);
        double sum = 0;
        for (var i = 0; i < a.Counts.Length; i++)
        {
            sum += Math.Abs((a.Counts[i] / ta) - (b.Counts[i] / tb));
        }

        return sum;
    }

    /// <summary>Mean |log10 P_a(r) - log10 P_b(r)| over integer radii 1..size/2 of the radially averaged power spectra.</summary>
    internal static double SpectrumGap(float[] a, float[] b, int size)
    {
        var (pa, pb) = (RadialPowerSpectrum(a, size), RadialPowerSpectrum(b, size));
        double sum = 0;
        for (var r = 1; r < pa.Length; r++)
        {
            sum += Math.Abs(Math.Log10(pa[r] + 1e-12) - Math.Log10(pb[r] + 1e-12));
        }

        return sum / (pa.Length - 1);
    }

    /// <summary>Power |F(u, v)|^2 of the mean-removed image, averaged over rings of integer radius 0..size/2 (separable DFT).</summary>
    internal static double[] RadialPowerSpectrum(float[] image, int size)
    {
        var mean = image.Average(v => (double)v);
        var (re, im) = (new double[size * size], new double[size * size]);
        var (cos, sin) = (new double[size], new double[size]);
        for (var k = 0; k < size; k++)
        {
            (sin[k], cos[k]) = Math.SinCos(-2 * Math.PI * k / size);
        }

        // Rows, then columns.
        var (rowRe, rowIm) = (new double[size * size], new double[size * size]);
        for (var y = 0; y < size; y++)
        {
            for (var u = 0; u < size; u++)
            {
                double sr = 0, si = 0;
                for (var x = 0; x < size; x++)
                {
                    var v = image[(y * size) + x] - mean;
                    var t = u * x % size;
                    sr += v * cos[t];
                    si += v * sin[t];
                }

                (rowRe[(y * size) + u], rowIm[(y * size) + u]) = (sr, si);
            }
        }

        for (var u = 0; u < size; u++)
        {
            for (var v = 0; v < size; v++)
            {
                double sr = 0, si = 0;
                for (var y = 0; y < size; y++)
                {
                    var t = v * y % size;
                    var (r, i) = (rowRe[(y * size) + u], rowIm[(y * size) + u]);
                    sr += (r * cos[t]) - (i * sin[t]);
                    si += (r * sin[t]) + (i * cos[t]);
                }

                (re[(v * size) + u], im[(v * size) + u]) = (sr, si);
            }
        }

        var half = size / 2;
        var (power, counts) = (new double[half + 1], new int[half + 1]);
        for (var v = 0; v < size; v++)
        {
            for (var u = 0; u < size; u++)
            {
                var (fu, fv) = (u <= half ? u : u - size, v <= half ? v : v - size);
                var r = (int)Math.Round(Math.Sqrt((fu * fu) + (fv * fv)));
                if (r <= half)
                {
                    power[r] += (re[(v * size) + u] * re[(v * size) + u]) + (im[(v * size) + u] * im[(v * size) + u]);
                    counts[r]++;
                }
            }
        }

        return [.. power.Select((p, r) => counts[r] == 0 ? 0 : p / counts[r])];
    }
}
