using System.Globalization;

namespace GlcmMae.Trainer.Models;

/// <summary>The shape of a masked autoencoder: ViT encoder, lighter ViT decoder, image and patch geometry.</summary>
internal sealed record MaeConfig
{
    /// <summary>Preset name the config came from (informational).</summary>
    public string Name { get; init; } = "custom";

    /// <summary>Square input side in pixels.</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>Square patch side in pixels.</summary>
    public int PatchSize { get; init; } = 16;

    /// <summary>Input channels (1 grayscale or 3).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Encoder width.</summary>
    public int EmbedDim { get; init; } = 768;

    /// <summary>Encoder blocks.</summary>
    public int Depth { get; init; } = 12;

    /// <summary>Encoder attention heads.</summary>
    public int Heads { get; init; } = 12;

    /// <summary>Decoder width.</summary>
    public int DecoderEmbedDim { get; init; } = 512;

    /// <summary>Decoder blocks.</summary>
    public int DecoderDepth { get; init; } = 8;

    /// <summary>Decoder attention heads.</summary>
    public int DecoderHeads { get; init; } = 16;

    /// <summary>MLP hidden width as a multiple of the block width.</summary>
    public double MlpRatio { get; init; } = 4.0;

    /// <summary>Stochastic depth rate of the last encoder block (linearly increasing from 0).</summary>
    public double DropPath { get; init; }

    /// <summary>Patches per side.</summary>
    public int GridSize => ImageSize / PatchSize;

    /// <summary>Patches per image.</summary>
    public int PatchCount => GridSize * GridSize;

    /// <summary>Values predicted per patch.</summary>
    public int PatchValues => PatchSize * PatchSize * Channels;

    /// <summary>Throws with a readable message when the shape cannot work.</summary>
    public MaeConfig Validate()
    {
        static void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new ArgumentException(message);
            }
        }

        Require(PatchSize >= 2 && ImageSize >= PatchSize && ImageSize % PatchSize == 0, string.Create(CultureInfo.InvariantCulture, $"Image size {ImageSize} must be a multiple of the patch size {PatchSize}."));
        Require(Channels is 1 or 3, $"Input channels must be 1 or 3, not {Channels}.");
        Require(EmbedDim % 4 == 0 && DecoderEmbedDim % 4 == 0, "Embedding widths must be multiples of 4 (2-D sine-cosine position embeddings).");
        Require(Depth >= 1 && DecoderDepth >= 1, "Encoder and decoder need at least one block each.");
        Require(Heads >= 1 && EmbedDim % Heads == 0, $"Encoder width {EmbedDim} must be divisible by its {Heads} heads.");
        Require(DecoderHeads >= 1 && DecoderEmbedDim % DecoderHeads == 0, $"Decoder width {DecoderEmbedDim} must be divisible by its {DecoderHeads} heads.");
        Require(DropPath is >= 0 and < 1, "Drop path must lie in [0, 1).");
        return this;
    }
}
