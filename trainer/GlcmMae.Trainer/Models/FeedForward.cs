using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Models;

/// <summary>The transformer MLP: Linear, GELU (erf form), Linear.</summary>
internal sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly GELU act;
    private readonly Linear fc2;

    public FeedForward(long dim, long hiddenDim)
        : base(nameof(FeedForward))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1L);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenDim, 1L);
        fc1 = nn.Linear(dim, hiddenDim);
        act = nn.GELU();
        fc2 = nn.Linear(hiddenDim, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var hidden = Autocast.Linear(fc1, input);
        using var activated = act.forward(hidden);
        return Autocast.Linear(fc2, activated);
    }
}
