using GlcmMae.Trainer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Tests.Models;

[Collection(TorchCollection.Name)]
public sealed class MaskedAutoencoderTests
{
    [Fact]
    public void Parameter_names_match_the_reference_mae_state_dict()
    {
        torch.manual_seed(1);
        using var model = new MaskedAutoencoder(ModelPresets.Get("tiny"));
        var keys = model.state_dict().Keys.ToHashSet();

        string[] expected =
        [
            "cls_token", "pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias",
            "blocks.0.norm1.weight", "blocks.0.attn.qkv.weight", "blocks.0.attn.qkv.bias", "blocks.0.attn.proj.weight",
            "blocks.0.norm2.bias", "blocks.0.mlp.fc1.weight", "blocks.3.mlp.fc2.bias", "norm.weight", "norm.bias",
            "mask_token", "decoder_pos_embed", "decoder_embed.weight", "decoder_blocks.1.attn.qkv.weight",
            "decoder_norm.weight", "decoder_pred.weight", "decoder_pred.bias",
        ];
        Assert.All(expected, key => Assert.Contains(key, keys));
        Assert.DoesNotContain(keys, k => k.Contains("drop_path", StringComparison.Ordinal));
        Assert.False(model.named_parameters().Any(p => p.name.Contains("pos_embed", StringComparison.Ordinal)), "position tables are fixed");
    }

    [Fact]
    public void Forward_masks_three_quarters_per_sample_and_predicts_every_patch()
    {
        torch.manual_seed(2);
        var config = ModelPresets.Get("tiny");
        using var model = new MaskedAutoencoder(config);
        using var images = torch.rand([3, 1, 64, 64]);
        using var noise = torch.rand([3, 16]);

        using var output = model.Forward(images, noise, 0.75);

        Assert.Equal([3L, 16L, 256L], output.Prediction.shape);
        Assert.Equal([12f, 12f, 12f], output.Mask.sum(1).data<float>().ToArray());
        // The kept patches are those with the lowest noise.
        using var kept = noise.argsort(1).narrow(1, 0, 4);
        Assert.Equal(0f, output.Mask.gather(1, kept).sum().item<float>());
    }

    [Fact]
    public void Initialisation_follows_mae()
    {
        torch.manual_seed(3);
        using var model = new MaskedAutoencoder(ModelPresets.Get("tiny"));
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        Assert.Equal(0f, parameters["blocks.0.attn.qkv.bias"].abs().sum().item<float>());
        Assert.Equal(1f, parameters["norm.weight"].mean().item<float>());
        var std = parameters["cls_token"].std().item<float>();
        Assert.InRange(std, 0.012f, 0.03f);
        // Xavier-uniform bound sqrt(6 / (fan_in + fan_out)) for the patch embedding viewed as 256 -> 192.
        var bound = Math.Sqrt(6.0 / (256 + 192));
        var max = parameters["patch_embed.proj.weight"].abs().max().item<float>();
        Assert.InRange(max, bound * 0.9, bound);
    }

    [Fact]
    public void Patchify_and_unpatchify_are_inverse_with_channels_fastest()
    {
        using var images = torch.arange(2 * 3 * 8 * 8, dtype: float32).reshape(2, 3, 8, 8);

        using var patches = PatchLayout.Patchify(images, 4);
        using var back = PatchLayout.Unpatchify(patches, 4, 3);

        Assert.Equal([2L, 4L, 48L], patches.shape);
        Assert.True(back.allclose(images));
        // First patch, first pixel: channels 0, 1, 2 side by side.
        Assert.Equal([0f, 64f, 128f], patches[0, 0].narrow(0, 0, 3).data<float>().ToArray());
    }

    [Fact]
    public void Bf16_autocast_stays_close_to_float32_and_trains_float32_weights()
    {
        torch.manual_seed(4);
        using var model = new MaskedAutoencoder(ModelPresets.Get("tiny"));
        using var images = torch.rand([2, 1, 64, 64]);
        using var noise = torch.rand([2, 16]);

        using var reference = model.Forward(images, noise, 0.75);
        MaeOutput mixed;
        using (Autocast.Enable(ScalarType.BFloat16))
        {
            mixed = model.Forward(images, noise, 0.75);
        }

        using (mixed)
        {
            Assert.Equal(ScalarType.Float32, mixed.Prediction.dtype);
            var difference = (mixed.Prediction - reference.Prediction).abs().max().item<float>();
            Assert.InRange(difference, 1e-6f, 0.1f);
            mixed.Prediction.square().mean().backward();
        }

        var grad = model.named_parameters().First(p => p.name == "blocks.0.attn.qkv.weight").parameter.grad!;
        Assert.Equal(ScalarType.Float32, grad.dtype);
        Assert.True(grad.abs().sum().item<float>() > 0);
    }

    [Theory]
    [InlineData("tiny", 64, 192)]
    [InlineData("small", 224, 384)]
    [InlineData("base", 224, 768)]
    public void Presets_have_the_documented_shapes(string name, int image, int dim)
    {
        var config = ModelPresets.Get(name);
        Assert.Equal(image, config.ImageSize);
        Assert.Equal(dim, config.EmbedDim);
        Assert.Equal(16, config.PatchSize);
        if (name == "base")
        {
            Assert.Equal((512, 8, 16), (config.DecoderEmbedDim, config.DecoderDepth, config.DecoderHeads));
        }
    }
}
