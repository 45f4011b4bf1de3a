using GlcmMae.Trainer.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Models;

/// <summary>The ViT classifier fine-tuned from an MAE encoder: mean of the patch tokens, LayerNorm (fc_norm), linear head.</summary>
/// <remarks>Parameter names follow the reference MAE fine-tuning model, so MAE encoder weights and PyTorch ViT checkpoints load by name.</remarks>
internal sealed class VitClassifier : nn.Module<Tensor, Tensor>
{
    private readonly PatchEmbedding patch_embed;
    private readonly Parameter cls_token;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm fc_norm;
    private readonly Linear head;

    public VitClassifier(MaeConfig config, int classes, double dropPath)
        : base(nameof(VitClassifier))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        Config = config.Validate();
        Classes = classes;
        patch_embed = new PatchEmbedding(config.PatchSize, config.Channels, config.EmbedDim);
        cls_token = new Parameter(torch.zeros(1, 1, config.EmbedDim));
        var rates = Enumerable.Range(0, config.Depth).Select(i => config.Depth == 1 ? 0 : dropPath * i / (config.Depth - 1)).ToArray();
        blocks = nn.ModuleList(rates.Select(rate => new TransformerBlock(config.EmbedDim, config.Heads, config.MlpRatio, rate)).ToArray());
        fc_norm = nn.LayerNorm([config.EmbedDim], TransformerBlock.LayerNormEpsilon);
        head = nn.Linear(config.EmbedDim, classes);
        RegisterComponents();
        register_buffer("pos_embed", SinCosPositionEmbedding.CreateTensor(config.EmbedDim, config.GridSize, clsToken: true));
        MaeInitialisation.Apply(this, patch_embed, [cls_token]);
        using var noGrad = torch.no_grad();
        // MAE fine-tuning starts the head near zero so the first steps do not undo the pretrained features.
        torch.nn.init.trunc_normal_(head.weight!, std: 2e-5);
        torch.nn.init.zeros_(head.bias!);
    }

    /// <summary>The encoder's shape.</summary>
    public MaeConfig Config { get; }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Encoder blocks, first to last.</summary>
    internal IReadOnlyList<TransformerBlock> Blocks => [.. blocks];

    /// <summary>Logits (B, classes) of a batch (B, C, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        return head.forward(Features(input)).MoveToOuterDisposeScope();
    }

    /// <summary>The pooled, normalised encoder features (B, D) the head reads.</summary>
    public Tensor Features(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var positions = get_buffer("pos_embed")!;
        var x = patch_embed.forward(input).Plus(positions.narrow(1, 1, Config.PatchCount));
        var cls = cls_token.Plus(positions.narrow(1, 0, 1)).expand(x.shape[0], -1, -1);
        x = torch.cat([cls, x], 1);
        foreach (var block in blocks)
        {
            x = block.forward(x);
        }

        var pooled = x.narrow(1, 1, Config.PatchCount).mean([1]);
        return fc_norm.forward(pooled).MoveToOuterDisposeScope();
    }

    /// <summary>Freezes everything but the head (linear probing; fc_norm stays the unit LayerNorm and standardises the features).</summary>
    public void FreezeEncoder()
    {
        foreach (var (name, parameter) in named_parameters())
        {
            parameter.requires_grad = name.StartsWith("head.", StringComparison.Ordinal);
        }
    }

    /// <summary>Layer id for layer-wise lr decay: 0 for embeddings and tokens, k + 1 for block k, depth + 1 for fc_norm and head.</summary>
    public int LayerId(string parameterName)
    {
        if (parameterName.StartsWith("blocks.", StringComparison.Ordinal))
        {
            var end = parameterName.IndexOf('.', 7);
            return int.Parse(parameterName.AsSpan(7, end - 7), System.Globalization.CultureInfo.InvariantCulture) + 1;
        }

        return parameterName.StartsWith("patch_embed.", StringComparison.Ordinal) || parameterName is "cls_token" or "pos_embed" ? 0 : Config.Depth + 1;
    }

    /// <summary>Copies the encoder of a masked autoencoder (patch embedding, CLS token, blocks); MAE's final norm is not used with pooling.</summary>
    public int LoadEncoder(MaskedAutoencoder source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var weights = source.state_dict();
        var copied = 0;
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (weights.TryGetValue(name, out var tensor) && tensor.shape.SequenceEqual(parameter.shape))
            {
                parameter.copy_(tensor);
                copied++;
            }
        }

        return copied;
    }
}
