using GlcmMae.Trainer.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Losses;

/// <summary>MAE's pixel loss: MSE per patch, optionally against per-patch normalised targets (norm_pix_loss).</summary>
internal static class MaskedMse
{
    /// <summary>Per-patch MSE of predictions and targets (B, L, V): (B, L).</summary>
    public static Tensor PerPatch(Tensor predicted, Tensor target, bool normalisePixels)
    {
        using var scope = torch.NewDisposeScope();
        if (normalisePixels)
        {
            var mean = target.mean([-1], keepdim: true);
            var variance = target.var(-1, unbiased: true, keepdim: true);
            target = (target - mean) / variance.Plus(1e-6).sqrt();
        }

        return (predicted - target).Squared().mean([-1]).MoveToOuterDisposeScope();
    }

    /// <summary>Mean of per-patch values over the masked patches: sum(loss * mask) / sum(mask).</summary>
    public static Tensor MaskedMean(Tensor perPatch, Tensor mask) => (perPatch * mask).sum() / mask.sum();
}
