using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Losses;

/// <summary>The differentiable GLCM of GLCM-MAE in its direct form: soft bin memberships, then G = H_ref^T H_nb per patch.</summary>
/// <remarks>
/// This is the reference formulation of the method (memory grows with patches x pairs x K); faster equivalent forms are
/// tested against it. Memberships follow the method doc: sigmoid differences of width w = d / L around each bin centre,
/// plus the same terms reflected about min and max so that memberships sum to one across bins up to the range ends.
/// </remarks>
internal static class SoftGlcm
{
    /// <summary>Memberships of every value in K bins over [min, max]: shape (..., K).</summary>
    public static Tensor Memberships(Tensor values, int bins, double min, double max, double sharpness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sharpness, 0.0);
        if (!(max > min))
        {
            throw new ArgumentException($"The data range [{min}, {max}] is empty.", nameof(max));
        }

        using var scope = torch.NewDisposeScope();
        var d = (max - min) / bins;
        var w = d / sharpness;
        var centres = torch.arange(bins, dtype: values.dtype, device: values.device).mul(d).add(min + (d / 2));
        var x = values.unsqueeze(-1);
        Tensor Window(Tensor centre) => torch.sigmoid((centre + (d / 2)) / w) - torch.sigmoid((centre - (d / 2)) / w);
        var memberships = Window(x - centres)
            + Window(x + centres - (2 * min))
            + Window(x + centres - (2 * max));
        return memberships.MoveToOuterDisposeScope();
    }

    /// <summary>Soft co-occurrence counts of single-channel patches (..., P, P) for one direction: shape (..., K, K).</summary>
    public static Tensor Cooccurrence(Tensor patches, GlcmDirection direction, int bins, double min, double max, double sharpness)
    {
        using var scope = torch.NewDisposeScope();
        var memberships = Memberships(patches, bins, min, max, sharpness);
        var size = patches.shape[^1];
        // Reference and neighbour memberships are two slices of the same per-pixel tensor.
        var axis = direction == GlcmDirection.Horizontal ? -2 : -3;
        var reference = memberships.narrow(axis, 0, size - 1);
        var neighbour = memberships.narrow(axis, 1, size - 1);
        var leading = patches.shape[..^2];
        var pairs = size * (size - 1);
        var flatReference = reference.reshape([.. leading, pairs, bins]);
        var flatNeighbour = neighbour.reshape([.. leading, pairs, bins]);
        return torch.matmul(flatReference.transpose(-1, -2), flatNeighbour).MoveToOuterDisposeScope();
    }
}
