using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Models;

/// <summary>MAE's initialisation: Xavier-uniform Linear weights (and patch embedding viewed as Linear), zero biases, unit LayerNorms, tokens N(0, 0.02).</summary>
internal static class MaeInitialisation
{
    /// <summary>Initialises every parameter of the model in place.</summary>
    public static void Apply(MaskedAutoencoder model) => Apply(model, model.PatchEmbed, model.Tokens);

    /// <summary>Initialises a ViT-family model given its patch embedding and its learned tokens.</summary>
    public static void Apply(nn.Module model, PatchEmbedding patchEmbed, IEnumerable<Parameter> tokens)
    {
        using var noGrad = torch.no_grad();
        var weight = patchEmbed.Weight;
        // Xavier over (out, in * k * k), as if the convolution were a Linear layer.
        using (var asLinear = weight.view(weight.shape[0], -1))
        {
            torch.nn.init.xavier_uniform_(asLinear);
        }

        foreach (var token in tokens)
        {
            torch.nn.init.normal_(token, std: 0.02);
        }

        foreach (var module in model.modules())
        {
            switch (module)
            {
                case Linear linear:
                    torch.nn.init.xavier_uniform_(linear.weight!);
                    if (linear.bias is { } bias)
                    {
                        torch.nn.init.zeros_(bias);
                    }

                    break;
                case LayerNorm layerNorm:
                    torch.nn.init.ones_(layerNorm.weight!);
                    torch.nn.init.zeros_(layerNorm.bias!);
                    break;
            }
        }
    }
}
