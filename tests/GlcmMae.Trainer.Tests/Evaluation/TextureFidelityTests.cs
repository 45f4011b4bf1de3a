using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Synthesis;

namespace GlcmMae.Trainer.Tests.Evaluation;

public sealed class TextureFidelityTests
{
    private const int Size = 64;
    private const int Patch = 16;

    private static float[] Texture(int seed) => new TextureFieldFamily(jitter: 0).Generate(Size, 0, new Random(seed));

    private static float[] Blur(float[] image)
    {
        var result = new float[image.Length];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                double sum = 0;
                var count = 0;
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var (sy, sx) = (y + dy, x + dx);
                        if (sy is >= 0 and < Size && sx is >= 0 and < Size)
                        {
                            sum += image[(sy * Size) + sx];
                            count++;
                        }
                    }
                }

                result[(y * Size) + x] = (float)(sum / count);
            }
        }

        return result;
    }

    private static bool[] Mask() => [.. Enumerable.Range(0, 16).Select(p => p % 4 != 0)];

    [Fact]
    public void A_perfect_reconstruction_is_faithful_on_every_measure()
    {
        var truth = Enumerable.Range(0, 3).Select(Texture).ToArray();

        var fidelity = TextureFidelity.Measure(truth, truth, [Mask(), Mask(), Mask()], Size, Patch);

        Assert.Equal((3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), (fidelity.Images, fidelity.MaskedMse, fidelity.GlcmDistance, fidelity.ContrastError, fidelity.EntropyError, fidelity.HomogeneityError, fidelity.SpectrumDistance));
    }

    [Fact]
    public void A_blurred_reconstruction_wins_on_mse_and_loses_on_texture_to_a_fresh_sample_of_the_same_texture()
    {
        // What MSE training does (blur: close in pixels, wrong in texture) against what texture fidelity asks for
        // (the right statistics, other pixels).
        var truth = Enumerable.Range(0, 4).Select(Texture).ToArray();
        var blurred = truth.Select(Blur).ToArray();
        var resampled = Enumerable.Range(100, 4).Select(Texture).ToArray();
        bool[][] masks = [Mask(), Mask(), Mask(), Mask()];

        var blur = TextureFidelity.Measure(truth, blurred, masks, Size, Patch);
        var fresh = TextureFidelity.Measure(truth, resampled, masks, Size, Patch);

        Assert.True(blur.MaskedMse < fresh.MaskedMse, $"MSE blur {blur.MaskedMse:F4}, fresh {fresh.MaskedMse:F4}");
        Assert.True(blur.GlcmDistance > fresh.GlcmDistance, $"GLCM distance blur {blur.GlcmDistance:F3}, fresh {fresh.GlcmDistance:F3}");
        Assert.True(blur.ContrastError > fresh.ContrastError, $"contrast error blur {blur.ContrastError:F3}, fresh {fresh.ContrastError:F3}");
        Assert.True(blur.SpectrumDistance > fresh.SpectrumDistance, $"spectrum blur {blur.SpectrumDistance:F3}, fresh {fresh.SpectrumDistance:F3}");
    }

    [Fact]
    public void The_power_spectrum_of_a_grating_peaks_at_its_frequency()
    {
        var grating = new float[Size * Size];
        for (var i = 0; i < grating.Length; i++)
        {
            grating[i] = (float)(0.5 + (0.4 * Math.Cos(2 * Math.PI * 5 * (i % Size) / Size)));
        }

        var spectrum = TextureFidelity.RadialPowerSpectrum(grating, Size);

        Assert.Equal(5, Array.IndexOf(spectrum, spectrum.Max()));
        Assert.True(spectrum[5] > 1e6 * spectrum[3]);
    }
}
