using GlcmMae.Shared.Texture;

namespace GlcmMae.Shared.Tests.Texture;

public sealed class GrayLevelCooccurrenceTests
{
    // The 4x4 example of Haralick (1973) used by scikit-image's graycomatrix documentation.
    private static readonly float[] Image = [0, 0, 1, 1, 0, 0, 1, 1, 0, 2, 2, 2, 2, 2, 3, 3];
    private static readonly GrayLevelQuantizer FourLevels = new(4, 0, 4);

    private static double[,] ToArray(GrayLevelCooccurrence glcm)
    {
        var result = new double[glcm.Levels, glcm.Levels];
        for (var i = 0; i < glcm.Levels; i++)
        {
            for (var j = 0; j < glcm.Levels; j++)
            {
                result[i, j] = glcm[i, j];
            }
        }

        return result;
    }

    [Fact]
    public void Horizontal_counts_match_the_published_example()
    {
        var glcm = GrayLevelCooccurrence.Count(Image, 4, 4, GlcmOffset.Horizontal, FourLevels);

        Assert.Equal(new double[,] { { 2, 2, 1, 0 }, { 0, 2, 0, 0 }, { 0, 0, 3, 1 }, { 0, 0, 0, 1 } }, ToArray(glcm));
        Assert.Equal(12, glcm.Total);
    }

    [Fact]
    public void Vertical_counts_pair_each_pixel_with_the_one_below()
    {
        var glcm = GrayLevelCooccurrence.Count(Image, 4, 4, GlcmOffset.Vertical, FourLevels);

        Assert.Equal(new double[,] { { 3, 0, 2, 0 }, { 0, 2, 2, 0 }, { 0, 0, 1, 2 }, { 0, 0, 0, 0 } }, ToArray(glcm));
    }

    [Fact]
    public void Opposite_offsets_give_transposed_matrices()
    {
        var down = ToArray(GrayLevelCooccurrence.Count(Image, 4, 4, GlcmOffset.Vertical, FourLevels));
        var up = ToArray(GrayLevelCooccurrence.Count(Image, 4, 4, GlcmOffset.FromAngle(1, 90), FourLevels));

        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                Assert.Equal(down[i, j], up[j, i]);
            }
        }
    }

    [Fact]
    public void Features_match_hand_computed_values()
    {
        var features = GrayLevelCooccurrence.Count(Image, 4, 4, GlcmOffset.Horizontal, FourLevels).ComputeFeatures();

        Assert.Equal(7.0 / 12, features.Contrast, 1e-12);
        Assert.Equal(9.7 / 12, features.Homogeneity, 1e-12);
        Assert.Equal(24.0 / 144, features.AngularSecondMoment, 1e-12);
        Assert.Equal(Math.Sqrt(24.0 / 144), features.Energy, 1e-12);
        Assert.Equal((0.5 * Math.Log2(6)) + (0.25 * Math.Log2(12)) + 0.5, features.Entropy, 1e-12);
        Assert.Equal(0.7969885, features.Correlation, 1e-6); // from the marginals: mu_i 13/12, mu_j 3/2, cov 0.79167
    }

    [Fact]
    public void Constant_image_has_zero_contrast_and_unit_correlation()
    {
        var features = GrayLevelCooccurrence.Count(Enumerable.Repeat(2f, 25).ToArray(), 5, 5, GlcmOffset.Horizontal, FourLevels).ComputeFeatures();

        Assert.Equal(0, features.Contrast);
        Assert.Equal(1, features.Correlation);
        Assert.Equal(1, features.Homogeneity);
        Assert.Equal(0, features.Entropy);
    }

    [Theory]
    [InlineData(-5.0, 0)]
    [InlineData(0.0, 0)]
    [InlineData(0.999, 0)]
    [InlineData(1.0, 1)]
    [InlineData(3.999, 3)]
    [InlineData(4.0, 3)]
    [InlineData(100.0, 3)]
    public void Quantizer_uses_equal_width_bins_and_clamps(double value, int level)
    {
        Assert.Equal(level, FourLevels.Quantize(value));
    }
}
