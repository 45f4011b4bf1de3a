using GlcmMae.Shared.Texture;
using GlcmMae.Trainer.Synthesis;

namespace GlcmMae.Trainer.Tests.Synthesis;

public sealed class UltrasoundPhantomTests
{
    private const int Size = 96;
    private const int PerClass = 30;

    [Fact]
    public void Same_seed_gives_the_same_image()
    {
        var first = UltrasoundPhantom.Generate(Size, TextureClass.Defaults[2], new Random(5)).Image;
        var second = UltrasoundPhantom.Generate(Size, TextureClass.Defaults[2], new Random(5)).Image;
        var other = UltrasoundPhantom.Generate(Size, TextureClass.Defaults[2], new Random(6)).Image;

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.All(first, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Lesion_scale_grows_the_lesion_by_its_square_in_area()
    {
        double LesionFraction(double scale) => Enumerable.Range(0, 40)
            .Average(i => UltrasoundPhantom.Generate(Size, TextureClass.Defaults[0], new Random(i), scale).Lesion.Average(inside => inside ? 1.0 : 0.0));

        var normal = LesionFraction(1);
        var doubled = LesionFraction(2);

        // Same draws, semi-axes doubled: four times the area, less what the image edges cut off.
        Assert.InRange(normal, 0.05, 0.2);
        Assert.InRange(doubled / normal, 3, 4.01);
    }

    [Fact]
    public void Mean_intensity_classifies_near_chance_while_texture_features_classify_well()
    {
        var samples = TextureClass.Defaults
            .SelectMany((c, label) => Enumerable.Range(0, PerClass).Select(i => (Label: label, Image: UltrasoundPhantom.Generate(Size, c, new Random((label * 1000) + i)))))
            .ToArray();
        double[] MeanFeature(float[] image) => [image.Average()];
        double[] TextureFeatures(float[] image)
        {
            var glcm = GrayLevelCooccurrence.Count(image, Size, Size, GlcmOffset.Horizontal, new GrayLevelQuantizer(32, 0, 1));
            var f = GlcmFeatures.From(glcm);
            var vertical = GlcmFeatures.From(GrayLevelCooccurrence.Count(image, Size, Size, GlcmOffset.Vertical, new GrayLevelQuantizer(32, 0, 1)));
            return [f.Contrast, f.Correlation, f.Homogeneity, f.Entropy, vertical.Correlation, vertical.Contrast];
        }

        var meanAccuracy = NearestCentroidAccuracy(samples.Select(s => (s.Label, MeanFeature(s.Image.Image))).ToArray());
        var textureAccuracy = NearestCentroidAccuracy(samples.Select(s => (s.Label, TextureFeatures(s.Image.Image))).ToArray());

        Assert.True(meanAccuracy < 0.5, $"mean intensity alone reaches {meanAccuracy:P0} (chance 33%)");
        Assert.True(textureAccuracy > 0.65, $"texture features reach only {textureAccuracy:P0}");
    }

    // Even samples train, odd samples test; features standardised on the training half.
    private static double NearestCentroidAccuracy((int Label, double[] Features)[] samples)
    {
        var train = samples.Where((_, i) => i % 2 == 0).ToArray();
        var test = samples.Where((_, i) => i % 2 == 1).ToArray();
        var dims = samples[0].Features.Length;
        var mean = Enumerable.Range(0, dims).Select(d => train.Average(s => s.Features[d])).ToArray();
        var std = Enumerable.Range(0, dims).Select(d => Math.Sqrt(train.Average(s => Math.Pow(s.Features[d] - mean[d], 2))) + 1e-12).ToArray();
        double[] Z(double[] f) => [.. f.Select((v, d) => (v - mean[d]) / std[d])];
        var centroids = train.GroupBy(s => s.Label).ToDictionary(g => g.Key, g => Enumerable.Range(0, dims).Select(d => g.Average(s => Z(s.Features)[d])).ToArray());
        var correct = test.Count(s =>
        {
            var z = Z(s.Features);
            return centroids.MinBy(c => c.Value.Select((v, d) => Math.Pow(v - z[d], 2)).Sum()).Key == s.Label;
        });
        return (double)correct / test.Length;
    }
}
