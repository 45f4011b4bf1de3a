using GlcmMae.Trainer.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Models;

/// <summary>MAE with a ViT encoder and decoder; parameter names match the reference PyTorch MAE so its checkpoints load by name.</summary>
internal sealed class MaskedAutoencoder : nn.Module<Tensor, Tensor, MaeOutput>
{
    private readonly PatchEmbedding patch_embed;
    private readonly Parameter cls_token;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm norm;
    private readonly Linear decoder_embed;
    private readonly Parameter mask_token;
    private readonly ModuleList<TransformerBlock> decoder_blocks;
    private readonly LayerNorm decoder_norm;
    private readonly Linear decoder_pred;

    public MaskedAutoencoder(MaeConfig config)
        : base(nameof(MaskedAutoencoder))
    {
        Config = config.Validate();
        patch_embed = new PatchEmbedding(config.PatchSize, config.Channels, config.EmbedDim);
        cls_token = new Parameter(torch.zeros(1, 1, config.EmbedDim));
        var rates = Enumerable.Range(0, config.Depth).Select(i => config.Depth == 1 ? 0 : config.DropPath * i / (config.Depth - 1)).ToArray();
        blocks = nn.ModuleList(rates.Select(rate => new TransformerBlock(config.EmbedDim, config.Heads, config.MlpRatio, rate)).ToArray());
        norm = nn.LayerNorm([config.EmbedDim], TransformerBlock.LayerNormEpsilon);
        decoder_embed = nn.Linear(config.EmbedDim, config.DecoderEmbedDim);
        mask_token = new Parameter(torch.zeros(1, 1, config.DecoderEmbedDim));
        decoder_blocks = nn.ModuleList(Enumerable.Range(0, config.DecoderDepth)
            .Select(_ => new TransformerBlock(config.DecoderEmbedDim, config.DecoderHeads, config.MlpRatio)).ToArray());
        decoder_norm = nn.LayerNorm([config.DecoderEmbedDim], TransformerBlock.LayerNormEpsilon);
        decoder_pred = nn.Linear(config.DecoderEmbedDim, config.PatchValues);
        RegisterComponents();
        // Fixed (not learned) position tables: buffers, saved with the weights under MAE's names.
        register_buffer("pos_embed", SinCosPositionEmbedding.CreateTensor(config.EmbedDim, config.GridSize, clsToken: true));
        register_buffer("decoder_pos_embed", SinCosPositionEmbedding.CreateTensor(config.DecoderEmbedDim, config.GridSize, clsToken: true));
        MaeInitialisation.Apply(this);
    }

    /// <summary>The model's shape.</summary>
    public MaeConfig Config { get; }

    /// <summary>The patch embedding (its weights are initialised as a Linear layer).</summary>
    internal PatchEmbedding PatchEmbed => patch_embed;

    /// <summary>Class and mask tokens (initialised normal with std 0.02).</summary>
    internal IEnumerable<Parameter> Tokens => [cls_token, mask_token];

    /// <summary>Encoder blocks, first to last.</summary>
    internal IReadOnlyList<TransformerBlock> EncoderBlocks => [.. blocks];

    private Tensor PositionTable => get_buffer("pos_embed")!;

    private Tensor DecoderPositionTable => get_buffer("decoder_pos_embed")!;

    /// <summary>Masks, encodes and decodes a batch (B, C, H, W); noise (B, L) picks the masked patches (lowest noise is kept).</summary>
    public override MaeOutput forward(Tensor images, Tensor noise) => Forward(images, noise, 0.75);

    /// <summary>As <see cref="forward"/> with an explicit mask ratio.</summary>
    public MaeOutput Forward(Tensor images, Tensor noise, double maskRatio)
    {
        using var scope = torch.NewDisposeScope();
        var (latent, mask, restore) = Encode(images, noise, maskRatio);
        var prediction = Decode(latent, restore);
        return new MaeOutput(prediction.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    /// <summary>Encoder with masking: (B, 1 + kept, D) tokens, the mask (B, L; 1 = removed) and the restore order.</summary>
    public (Tensor Latent, Tensor Mask, Tensor RestoreOrder) Encode(Tensor images, Tensor noise, double maskRatio)
    {
        using var scope = torch.NewDisposeScope();
        var positions = PositionTable;
        var x = patch_embed.forward(images).Plus(positions.narrow(1, 1, Config.PatchCount));
        var (kept, mask, restore) = RandomMasking.Apply(x, maskRatio, noise.to(x.device));
        var cls = cls_token.Plus(positions.narrow(1, 0, 1)).expand(x.shape[0], -1, -1);
        x = torch.cat([cls, kept], 1);
        foreach (var block in blocks)
        {
            x = block.forward(x);
        }

        x = norm.forward(x);
        return (x.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope(), restore.MoveToOuterDisposeScope());
    }

    /// <summary>Decoder: predicted patch values (B, L, P*P*C) for every patch.</summary>
    public Tensor Decode(Tensor latent, Tensor restoreOrder)
    {
        using var scope = torch.NewDisposeScope();
        var x = Autocast.Linear(decoder_embed, latent).to_type(ScalarType.Float32);
        var batch = x.shape[0];
        var dim = x.shape[2];
        var visible = x.narrow(1, 1, x.shape[1] - 1);
        var masked = mask_token.expand(batch, Config.PatchCount - visible.shape[1], dim);
        var unshuffled = torch.cat([visible, masked], 1).gather(1, restoreOrder.unsqueeze(-1).expand(batch, Config.PatchCount, dim));
        x = torch.cat([x.narrow(1, 0, 1), unshuffled], 1).Plus(DecoderPositionTable);
        foreach (var block in decoder_blocks)
        {
            x = block.forward(x);
        }

        x = Autocast.Linear(decoder_pred, decoder_norm.forward(x)).to_type(ScalarType.Float32);
        return x.narrow(1, 1, Config.PatchCount).MoveToOuterDisposeScope();
    }
}
