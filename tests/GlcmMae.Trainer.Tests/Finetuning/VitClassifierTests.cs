using GlcmMae.Trainer.Finetuning;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Tests.Finetuning;

[Collection(TorchCollection.Name)]
public sealed class VitClassifierTests
{
    private static readonly MaeConfig Small = ModelPresets.Get("tiny", 1) with { ImageSize = 32, PatchSize = 8, EmbedDim = 64, Depth = 2, Heads = 2 };

    [Fact]
    public void Learns_a_simple_pattern_through_the_layer_decayed_optimizer()
    {
        torch.manual_seed(1);
        using var model = new VitClassifier(Small, 2, dropPath: 0);
        var (optimizer, scales) = ClassifierOptimizer.Create(model, 1e-3, 0.05, 0.75);
        using var images = torch.rand(32, 1, 32, 32, generator: new Generator(2));
        using var labels = torch.arange(32, dtype: ScalarType.Int64) % 2;
        using (torch.no_grad())
        {
            // Class 1 has a bright left half: a pattern any working classifier picks up.
            images.index_put_(images[TensorIndex.Slice(1, null, 2)] + (torch.arange(32).lt(16).to_type(ScalarType.Float32).view(1, 1, 1, 32) * 1.0f), TensorIndex.Slice(1, null, 2));
        }

        double first = 0;
        double last = 0;
        model.train();
        for (var step = 0; step < 40; step++)
        {
            using var scope = torch.NewDisposeScope();
            OptimizerFactory.SetLearningRate(optimizer, 1e-3, scales);
            var loss = torch.nn.functional.cross_entropy(model.forward(images), labels);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            first = step == 0 ? loss.item<float>() : first;
            last = loss.item<float>();
        }

        Assert.True(last < first * 0.5, $"loss {first} -> {last}");
        optimizer.Dispose();
    }

    [Fact]
    public void Layer_decay_scales_run_from_decay_to_the_depth_plus_one_for_embeddings_to_one_for_the_head()
    {
        using var model = new VitClassifier(Small, 3, dropPath: 0.1);
        var (optimizer, scales) = ClassifierOptimizer.Create(model, 1.0, 0.05, 0.5);

        Assert.Equal(0, model.LayerId("patch_embed.proj.weight"));
        Assert.Equal(0, model.LayerId("cls_token"));
        Assert.Equal(2, model.LayerId("blocks.1.attn.qkv.weight"));
        Assert.Equal(3, model.LayerId("head.weight"));
        Assert.Equal(3, model.LayerId("fc_norm.bias"));
        Assert.Equal(Math.Pow(0.5, 3), scales.Min(), 12);
        Assert.Equal(1.0, scales.Max(), 12);
        var groups = optimizer.ParamGroups.ToArray();
        Assert.Equal(scales.Count, groups.Length);
        optimizer.Dispose();
    }

    [Fact]
    public void Loads_the_mae_encoder_by_name_and_linear_probing_trains_only_the_head()
    {
        var config = Small with { DecoderEmbedDim = 32, DecoderDepth = 1, DecoderHeads = 2 };
        using var mae = new MaskedAutoencoder(config);
        using var model = new VitClassifier(config, 2, dropPath: 0);

        var copied = model.LoadEncoder(mae);

        // patch_embed (2) + cls_token + 2 blocks x 12 tensors.
        Assert.Equal(27, copied);
        var maeWeights = mae.state_dict();
        foreach (var (name, parameter) in model.named_parameters().Where(p => !p.name.StartsWith("head", StringComparison.Ordinal) && !p.name.StartsWith("fc_norm", StringComparison.Ordinal)))
        {
            Assert.True(maeWeights[name].eq(parameter).all().item<bool>(), name);
        }

        model.FreezeEncoder();
        Assert.Equal(["head.weight", "head.bias"], model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name));
    }
}
