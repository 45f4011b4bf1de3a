using System.Collections;
using GlcmMae.Testing;
using GlcmMae.Trainer.Models;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Tests.Models;

[Collection(TorchCollection.Name)]
public sealed class PretrainedWeightsTests
{
    [Fact]
    public void Imports_an_rgb_mae_checkpoint_into_a_grayscale_model_and_reports_every_key()
    {
        using var temp = new TempFolder();
        torch.manual_seed(31);
        using var rgb = new MaskedAutoencoder(ModelPresets.Get("tiny", channels: 3));
        var state = new Hashtable();
        foreach (var (name, tensor) in rgb.state_dict())
        {
            state[name] = tensor;
        }

        state["head.weight"] = torch.zeros(10, 192);
        state.Remove("decoder_pred.weight");
        var model = new Hashtable { ["model"] = state };
        var path = temp.File("mae_pretrain.pth");
        PyTorchPickler.PickleStateDict(path, model);

        torch.manual_seed(32);
        using var gray = new MaskedAutoencoder(ModelPresets.Get("tiny", channels: 1));
        var report = PretrainedWeights.Import(gray, path);

        Assert.Equal(["patch_embed.proj.weight"], report.Adapted);
        Assert.Contains("blocks.0.attn.qkv.weight", report.Matched);
        Assert.Contains("decoder_pred.weight", report.Missing);
        Assert.Contains("decoder_pred.bias (", report.ShapeMismatched.Single(), StringComparison.Ordinal);
        Assert.Equal(["head.weight"], report.Unexpected);
        Assert.Equal(["decoder_pos_embed", "pos_embed"], report.Recomputed.Order());
        var source = rgb.state_dict();
        var target = gray.state_dict();
        Assert.True(target["blocks.2.mlp.fc1.weight"].allclose(source["blocks.2.mlp.fc1.weight"]));
        Assert.True(target["patch_embed.proj.weight"].allclose(source["patch_embed.proj.weight"].sum(1, keepdim: true)));
        Assert.Contains("1 adapted", report.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_checkpoint_that_shares_nothing_with_the_model()
    {
        using var temp = new TempFolder();
        var path = temp.File("other.pth");
        PyTorchPickler.PickleStateDict(path, new Hashtable { ["fc.weight"] = torch.zeros(2, 2) });
        using var model = new MaskedAutoencoder(ModelPresets.Get("tiny"));

        var error = Assert.Throws<InvalidDataException>(() => { PretrainedWeights.Import(model, path); });
        Assert.Contains("No parameter", error.Message, StringComparison.Ordinal);
    }
}
