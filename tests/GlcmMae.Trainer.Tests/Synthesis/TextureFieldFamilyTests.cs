using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Synthesis;

namespace GlcmMae.Trainer.Tests.Synthesis;

public sealed class TextureFieldFamilyTests
{
    private const int Size = 64;

    /// <summary>Images of every class, half for fitting and half for testing, as features of <paramref name="describe"/>.</summary>
    private static double Accuracy(Func<float[], double[]> describe, int perClass = 40)
    {
        var family = new TextureFieldFamily();
        var (train, trainLabels, test, testLabels) = (new List<double[]>(), new List<int>(), new List<double[]>(), new List<int>());
        for (var c = 0; c < family.ClassNames.Count; c++)
        {
            for (var i = 0; i < perClass; i++)
            {
                var features = describe(family.Generate(Size, c, new Random((c * 1000) + i)));
                (i % 2 == 0 ? train : test).Add(features);
                (i % 2 == 0 ? trainLabels : testLabels).Add(c);
            }
        }

        var model = SoftmaxRegression.Fit(train, trainLabels, family.ClassNames.Count);
        return test.Select((x, i) => model.Predict(x) == testLabels[i] ? 1.0 : 0.0).Average();
    }

    private static double[] Histogram(float[] image)
    {
        var bins = new double[16];
        foreach (var v in image)
        {
            bins[Math.Min(15, (int)(v * 16))] += 1.0 / image.Length;
        }

        return bins;
    }

    [Fact]
    public void Every_image_of_every_class_has_the_same_8_bit_histogram()
    {
        var family = new TextureFieldFamily();
        int[]? first = null;
        for (var c = 0; c < family.ClassNames.Count; c++)
        {
            for (var seed = 0; seed < 3; seed++)
            {
                var histogram = new int[256];
                foreach (var v in family.Generate(Size, c, new Random(seed)))
                {
                    histogram[(int)Math.Round(v * 255)]++;
                }

                first ??= histogram;
                Assert.Equal(first, histogram);
            }
        }
    }

    [Fact]
    public void A_glcm_feature_classifier_tells_the_classes_apart_where_intensity_alone_cannot()
    {
        var glcm = Accuracy(image => GlcmFeatureVector.Compute(image, Size, Size));
        var intensity = Accuracy(Histogram);

        // Four classes: chance is 0.25. Texture statistics separate them; the (identical) histograms cannot.
        Assert.True(glcm >= 0.9, $"GLCM-feature accuracy {glcm:F3}");
        Assert.True(intensity <= 0.4, $"intensity-histogram accuracy {intensity:F3}");
    }

    [Fact]
    public void The_classes_differ_in_the_direction_their_names_say()
    {
        var family = new TextureFieldFamily(jitter: 0);
        double Contrast(int c, int offset) => Enumerable.Range(0, 8).Average(seed => GlcmFeatureVector.Compute(family.Generate(Size, c, new Random(seed)), Size, Size)[offset * 5]);
        var names = family.ClassNames.ToList();
        var (across, down) = (0, 1);

        // Coarser grain means neighbours are more alike: lower contrast, in the direction that is coarse.
        Assert.True(Contrast(names.IndexOf("coarse"), across) < Contrast(names.IndexOf("fine"), across));
        Assert.True(Contrast(names.IndexOf("streaks-across"), across) < Contrast(names.IndexOf("streaks-across"), down));
        Assert.True(Contrast(names.IndexOf("streaks-down"), down) < Contrast(names.IndexOf("streaks-down"), across));
    }
}
