using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Finetuning;

namespace GlcmMae.Trainer.Tests.Finetuning;

[Collection(TorchCollection.Name)]
public sealed class ClassBalancingTests
{
    // 90 images of class 0, 10 of class 1.
    private static readonly ImageSample[] Samples = [.. Enumerable.Range(0, 100).Select(i => new ImageSample($"{i}.png", $"file:{i}", i < 90 ? 0 : 1, [], null))];

    private static FinetuneOptions Options(ClassBalancing balancing) => new() { Data = "unused", Output = "unused", Balancing = balancing, Seed = 3 };

    [Fact]
    public void The_sampler_draws_each_class_about_equally_and_the_plain_order_is_a_permutation()
    {
        var train = Enumerable.Range(0, 100).ToArray();

        var balanced = Enumerable.Range(0, 20).SelectMany(epoch => FinetuneRunner.EpochOrder(Options(ClassBalancing.Sampler), Samples, train, epoch)).ToArray();
        var plain = FinetuneRunner.EpochOrder(Options(ClassBalancing.None), Samples, train, 0);

        var minorityShare = balanced.Count(i => Samples[i].Label == 1) / (double)balanced.Length;
        Assert.InRange(minorityShare, 0.45, 0.55);
        Assert.Equal(train, plain.Order());
        Assert.NotEqual(train, plain);
        Assert.Equal(plain, FinetuneRunner.EpochOrder(Options(ClassBalancing.None), Samples, train, 0));
    }

    [Fact]
    public void Loss_weights_are_inverse_class_frequency()
    {
        using var weights = FinetuneRunner.ClassWeights(Samples, [.. Enumerable.Range(0, 100)], 2);

        var values = weights.data<float>().ToArray();
        Assert.Equal(100.0 / (2 * 90), values[0], 5);
        Assert.Equal(100.0 / (2 * 10), values[1], 5);
    }
}
