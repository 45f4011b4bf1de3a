using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Tests.Finetuning;

public sealed class ClassifierAugmentationTests
{
    [Fact]
    public void Augmentation_is_deterministic_per_seed_stays_in_range_and_changes_the_image()
    {
        var source = Enumerable.Range(0, 32 * 32).Select(i => (float)((Math.Sin(i * 0.37) + 1) / 2)).ToArray();
        float[] Run(int seed)
        {
            var image = (float[])source.Clone();
            ClassifierAugmentation.Apply(new ClassifierAugmentationOptions { OperationProbability = 1, ErasingProbability = 1 }, image, 1, 32, new Random(seed));
            return image;
        }

        Assert.Equal(Run(3), Run(3));
        Assert.NotEqual(Run(3), Run(4));
        for (var seed = 0; seed < 50; seed++)
        {
            var image = Run(seed);
            Assert.All(image, v => Assert.True(v is >= 0 and <= 1, v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.NotEqual(source, image);
        }

        var untouched = (float[])source.Clone();
        ClassifierAugmentation.Apply(ClassifierAugmentationOptions.None, untouched, 1, 32, new Random(0));
        Assert.Equal(source, untouched);
    }
}
