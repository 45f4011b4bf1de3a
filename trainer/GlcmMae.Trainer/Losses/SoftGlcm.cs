using GlcmMae.Shared.Texture;
using GlcmMae.Trainer.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Losses;

/// <summary>The differentiable GLCM of GLCM-MAE in its direct form: soft bin memberships, then G = H_ref^T H_nb per patch.</summary>
/// <remarks>
/// This is the reference formulation of the method (memory grows with patches x pairs x K); <see cref="SparseGlcmLoss"/>
/// is tested against it. Memberships follow the method doc: sigmoid differences of width w = d / L around each bin
/// centre, plus the same terms reflected about min and max so that memberships sum to one up to the range ends.
/// </remarks>
internal static class SoftGlcm
{
    /// <summary>Memberships of every value in K bins over [min, max]: shape (..., K).</summary>
    public static Tensor Memberships(Tensor values, int bins, DataRange range, double sharpness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sharpness, 0.0);
        range.Validate();
        using var scope = torch.NewDisposeScope();
        var centres = BinCentres(TensorMath.Arange(0, bins, values.dtype, values.device), bins, range);
        return Membership(values.unsqueeze(-1), centres, bins, range, sharpness).MoveToOuterDisposeScope();
    }

    /// <summary>Soft co-occurrence counts of single-channel patches (..., P, P) for one offset: shape (..., K, K).</summary>
    public static Tensor Cooccurrence(Tensor patches, GlcmOffset offset, int bins, DataRange range, double sharpness)
    {
        using var scope = torch.NewDisposeScope();
        var (reference, neighbour) = PairSlices(patches, offset);
        var leading = patches.shape[..^2];
        // The direct form as published: separate membership matrices for the reference and the neighbour pixels.
        var hReference = Memberships(reference, bins, range, sharpness).reshape([.. leading, -1, bins]);
        var hNeighbour = Memberships(neighbour, bins, range, sharpness).reshape([.. leading, -1, bins]);
        return torch.matmul(hReference.transpose(-1, -2), hNeighbour).MoveToOuterDisposeScope();
    }

    /// <summary>f(G) = G (S - G) / S with S the sum of each matrix's entries (the method's "scale" transform).</summary>
    public static Tensor ScaleTransform(Tensor glcm, Tensor sums) => glcm * (sums - glcm) / sums;

    /// <summary>The reference pixels and their neighbours for an offset: two views of the patch, (..., rows, cols) each.</summary>
    public static (Tensor Reference, Tensor Neighbour) PairSlices(Tensor patches, GlcmOffset offset)
    {
        var height = patches.shape[^2];
        var width = patches.shape[^1];
        var rows = height - Math.Abs(offset.Rows);
        var columns = width - Math.Abs(offset.Columns);
        if (rows <= 0 || columns <= 0)
        {
            throw new ArgumentException($"Offset ({offset.Rows}, {offset.Columns}) does not fit in a {height}x{width} patch.", nameof(offset));
        }

        var rowStart = Math.Max(0, -offset.Rows);
        var columnStart = Math.Max(0, -offset.Columns);
        var reference = patches.narrow(-2, rowStart, rows).narrow(-1, columnStart, columns);
        var neighbour = patches.narrow(-2, rowStart + offset.Rows, rows).narrow(-1, columnStart + offset.Columns, columns);
        return (reference, neighbour);
    }

    /// <summary>c_k = min + (k + 1/2) d for bin indices k (any integer or float tensor).</summary>
    internal static Tensor BinCentres(Tensor binIndices, int bins, DataRange range, ScalarType? dtype = null)
    {
        var d = range.Width / bins;
        return binIndices.to_type(dtype ?? binIndices.dtype).Times(d).Plus(range.Min + (d / 2));
    }

    /// <summary>m_k(x) for values and centres that broadcast against each other.</summary>
    internal static Tensor Membership(Tensor values, Tensor centres, int bins, DataRange range, double sharpness)
    {
        var d = range.Width / bins;
        var w = d / sharpness;
        Tensor Window(Tensor distance) => torch.sigmoid(distance.Plus(d / 2).DividedBy(w)) - torch.sigmoid(distance.Minus(d / 2).DividedBy(w));
        var reflected = values.Plus(centres);
        return Window(values - centres)
            .Plus(Window(reflected.Minus(2 * range.Min)))
            .Plus(Window(reflected.Minus(2 * range.Max)));
    }
}
