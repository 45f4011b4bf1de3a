using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Models;

/// <summary>MAE's per-sample random masking: keep the tokens with the lowest noise, floor(L (1 - ratio)) of them.</summary>
internal static class RandomMasking
{
    /// <summary>Tokens kept for a given count and ratio.</summary>
    public static int KeptCount(int tokens, double ratio)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ratio, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ratio, 1.0);
        return Math.Max(1, (int)(tokens * (1 - ratio)));
    }

    /// <summary>Keeps tokens of (B, L, D) by noise (B, L); returns the kept tokens, the mask (1 = removed) and the restore order.</summary>
    public static (Tensor Kept, Tensor Mask, Tensor RestoreOrder) Apply(Tensor tokens, double ratio, Tensor noise)
    {
        using var scope = torch.NewDisposeScope();
        var batch = tokens.shape[0];
        var count = tokens.shape[1];
        var dim = tokens.shape[2];
        var keep = KeptCount((int)count, ratio);
        var shuffle = noise.argsort(1);
        var restore = shuffle.argsort(1);
        var keepIndices = shuffle.narrow(1, 0, keep);
        var kept = tokens.gather(1, keepIndices.unsqueeze(-1).expand(batch, keep, dim));
        var mask = torch.ones(batch, count, dtype: tokens.dtype, device: tokens.device);
        mask.narrow(1, 0, keep).zero_();
        mask = mask.gather(1, restore);
        return (kept.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope(), restore.MoveToOuterDisposeScope());
    }
}
