using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Models;

/// <summary>Splits an image into non-overlapping patches and projects each to a token: a strided convolution.</summary>
internal sealed class PatchEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d proj;

    public PatchEmbedding(int patchSize, int channels, int dim)
        : base(nameof(PatchEmbedding))
    {
        proj = nn.Conv2d(channels, dim, kernel_size: patchSize, stride: patchSize);
        RegisterComponents();
    }

    /// <summary>The projection weights (dim, channels, patch, patch).</summary>
    public Parameter Weight => proj.weight!;

    /// <summary>(B, C, H, W) to (B, patches, dim), patches in row-major order.</summary>
    public override Tensor forward(Tensor input)
    {
        using var projected = proj.forward(input);
        return projected.flatten(2).transpose(1, 2);
    }
}
