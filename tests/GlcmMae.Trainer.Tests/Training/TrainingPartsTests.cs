using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using TorchSharp;

namespace GlcmMae.Trainer.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainingPartsTests
{
    [Fact]
    public void Weight_decay_applies_to_weight_matrices_only()
    {
        using var model = new MaskedAutoencoder(ModelPresets.Get("tiny"));
        var decayed = model.named_parameters().Where(p => OptimizerFactory.TakesWeightDecay(p.name, p.parameter)).Select(p => p.name).ToHashSet();

        Assert.Contains("blocks.0.attn.qkv.weight", decayed);
        Assert.Contains("patch_embed.proj.weight", decayed);
        Assert.DoesNotContain("blocks.0.attn.qkv.bias", decayed);
        Assert.DoesNotContain("blocks.0.norm1.weight", decayed);
        Assert.DoesNotContain("decoder_norm.bias", decayed);
        using var optimizer = OptimizerFactory.AdamW(model, 1e-3, 0.05);
        Assert.Equal(2, optimizer.ParamGroups.Count());
    }

    [Fact]
    public void Schedule_warms_up_linearly_then_follows_a_half_cosine_to_the_minimum()
    {
        var schedule = new LearningRateSchedule(Peak: 1e-3, Minimum: 1e-5, WarmupSteps: 10, TotalSteps: 110);

        Assert.Equal(0, schedule.At(0));
        Assert.Equal(5e-4, schedule.At(5), 12);
        Assert.Equal(1e-3, schedule.At(10), 12);
        Assert.Equal(1e-5 + ((1e-3 - 1e-5) / 2), schedule.At(60), 12);
        Assert.Equal(1e-5, schedule.At(110), 12);
    }

    [Theory]
    [InlineData("30", 30, 30)]
    [InlineData("5:30", 5, 30)]
    public void Sharpness_is_constant_or_a_linear_curriculum(string text, double start, double end)
    {
        var schedule = SharpnessSchedule.Parse(text);

        Assert.Equal(start, schedule.At(0, 11));
        Assert.Equal(end, schedule.At(10, 11));
        Assert.Equal(text, schedule.ToString());
        Assert.Throws<ArgumentException>(() => SharpnessSchedule.Parse("0"));
    }

    [Fact]
    public void Seeds_differ_by_purpose_and_counter_and_repeat_exactly()
    {
        Assert.Equal(Seeds.Derive(1, Seeds.Purpose.Masking, 5, 0), Seeds.Derive(1, Seeds.Purpose.Masking, 5, 0));
        Assert.NotEqual(Seeds.Derive(1, Seeds.Purpose.Masking, 5, 0), Seeds.Derive(1, Seeds.Purpose.Masking, 6, 0));
        Assert.NotEqual(Seeds.Derive(1, Seeds.Purpose.Masking, 5, 0), Seeds.Derive(1, Seeds.Purpose.Torch, 5, 0));
        Assert.NotEqual(Seeds.Derive(1, Seeds.Purpose.Masking, 5, 0), Seeds.Derive(2, Seeds.Purpose.Masking, 5, 0));
    }

    [Fact]
    public void Augmentation_is_deterministic_and_keeps_values_in_range()
    {
        var image = Enumerable.Range(0, 2 * 8 * 8).Select(i => (float)(i % 13) / 12).ToArray();
        var first = (float[])image.Clone();
        var second = (float[])image.Clone();

        Augmentation.Apply(AugmentationMode.Mae, first, 2, 8, new Random(3));
        Augmentation.Apply(AugmentationMode.Mae, second, 2, 8, new Random(3));

        Assert.Equal(first, second);
        Assert.NotEqual(image, first);
        Assert.All(first, v => Assert.InRange(v, 0f, 1f));
        var flipped = (float[])image.Clone();
        Augmentation.FlipHorizontally(flipped, 2, 8);
        Assert.Equal(image[7], flipped[0]);
        Augmentation.FlipHorizontally(flipped, 2, 8);
        Assert.Equal(image, flipped);
    }
}
