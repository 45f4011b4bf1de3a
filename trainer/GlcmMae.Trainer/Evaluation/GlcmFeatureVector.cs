using GlcmMae.Shared.Texture;

namespace GlcmMae.Trainer.Evaluation;

/// <summary>
/// The classic texture descriptor a GLCM-feature classifier reads: contrast, correlation, homogeneity, energy and
/// entropy of 32-level GLCMs at distances 1 and 2, across and down (20 numbers). The baseline a pretrained encoder
/// must beat on texture-defined classes.
/// </summary>
internal static class GlcmFeatureVector
{
    /// <summary>Grey levels the image is quantised to: enough to resolve texture, few enough for stable counts on small images.</summary>
    public const int Levels = 32;

    private static readonly GlcmOffset[] Offsets = [new(0, 1), new(1, 0), new(0, 2), new(2, 0)];

    /// <summary>The features of a <paramref name="width"/> x <paramref name="height"/> image with values in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static double[] Compute(ReadOnlySpan<float> image, int width, int height, double min = 0, double max = 1)
    {
        var quantizer = new GrayLevelQuantizer(Levels, min, max);
        var features = new double[Offsets.Length * 5];
        for (var o = 0; o < Offsets.Length; o++)
        {
            var f = GrayLevelCooccurrence.Count(image, width, height, Offsets[o], quantizer).ComputeFeatures();
            features[(o * 5) + 0] = f.Contrast;
            features[(o * 5) + 1] = f.Correlation;
            features[(o * 5) + 2] = f.Homogeneity;
            features[(o * 5) + 3] = f.Energy;
            features[(o * 5) + 4] = f.Entropy;
        }

        return features;
    }
}
