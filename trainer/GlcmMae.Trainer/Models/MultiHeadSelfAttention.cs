using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Models;

/// <summary>ViT multi-head self-attention with a fused qkv projection (bias on) and an output projection.</summary>
internal sealed class MultiHeadSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly long _heads;

    public MultiHeadSelfAttention(long dim, long heads)
        : base(nameof(MultiHeadSelfAttention))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1L);
        if (dim % heads != 0)
        {
            throw new ArgumentException($"Embedding dimension {dim} must be divisible by the head count {heads}.", nameof(dim));
        }

        _heads = heads;
        qkv = nn.Linear(dim, dim * 3, hasBias: true);
        proj = nn.Linear(dim, dim, hasBias: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var batch = input.shape[0];
        var tokens = input.shape[1];
        var dim = input.shape[2];
        var parts = Autocast.Linear(qkv, input)
            .reshape(batch, tokens, 3, _heads, dim / _heads)
            .permute(2, 0, 3, 1, 4);
        var attended = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2]);
        var merged = attended.transpose(1, 2).reshape(batch, tokens, dim);
        return Autocast.Linear(proj, merged).MoveToOuterDisposeScope();
    }
}
