using GlcmMae.Trainer.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Models;

/// <summary>Stochastic depth: drops a whole residual branch per sample during training, scaling survivors by 1/keep.</summary>
internal sealed class DropPath : nn.Module<Tensor, Tensor>
{
    private readonly double _probability;

    public DropPath(double probability)
        : base(nameof(DropPath))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(probability, 1.0);
        _probability = probability;
    }

    public override Tensor forward(Tensor input)
    {
        if (!training || _probability == 0.0)
        {
            return input.alias();
        }

        var keep = 1.0 - _probability;
        var shape = new long[input.dim()];
        Array.Fill(shape, 1L);
        shape[0] = input.shape[0];
        using var mask = torch.empty(shape, input.dtype, input.device).bernoulli_(keep);
        return input.DividedBy(keep).mul_(mask);
    }
}
