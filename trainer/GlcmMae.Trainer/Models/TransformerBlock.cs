using GlcmMae.Trainer.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Models;

/// <summary>A pre-norm ViT block: x + DropPath(Attn(LN(x))), then x + DropPath(MLP(LN(x))); LayerNorm eps 1e-6.</summary>
internal sealed class TransformerBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>LayerNorm epsilon of the MAE/ViT reference models.</summary>
    public const double LayerNormEpsilon = 1e-6;

    private readonly LayerNorm norm1;
    private readonly MultiHeadSelfAttention attn;
    private readonly DropPath drop_path;
    private readonly LayerNorm norm2;
    private readonly FeedForward mlp;

    public TransformerBlock(long dim, long heads, double mlpRatio = 4.0, double dropPath = 0.0)
        : base(nameof(TransformerBlock))
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(mlpRatio, 0.0);
        norm1 = nn.LayerNorm([dim], LayerNormEpsilon);
        attn = new MultiHeadSelfAttention(dim, heads);
        drop_path = new DropPath(dropPath);
        norm2 = nn.LayerNorm([dim], LayerNormEpsilon);
        mlp = new FeedForward(dim, (long)(dim * mlpRatio));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var x = input.Plus(drop_path.forward(attn.forward(norm1.forward(input))));
        x = x.Plus(drop_path.forward(mlp.forward(norm2.forward(x))));
        return x.MoveToOuterDisposeScope();
    }
}
