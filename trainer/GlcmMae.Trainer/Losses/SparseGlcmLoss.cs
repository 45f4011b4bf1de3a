using System.Buffers;
using System.Runtime.InteropServices;
using GlcmMae.Shared.Texture;
using GlcmMae.Trainer.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Losses;

/// <summary>The GLCM loss with the values of <see cref="DirectGlcmLoss"/> at a small fraction of its memory and time.</summary>
/// <remarks>
/// Three facts make it cheap. Memberships are computed once per pixel; the reference and neighbour memberships of every
/// offset are slices of that one tensor. With sharpness L a value's membership in a bin R or more bins away from its own
/// is below sigmoid(-L R), so only the 2R + 1 bins around it are kept (R = 1 at the default L = 30, for a dropped
/// membership under 1e-7). The co-occurrence counts then have at most (2R + 1)^2 non-zero entries per pixel pair: they are summed
/// in coalesced (patch, offset, i, j) keys instead of dense K x K matrices, and f(G) is zero wherever G is.
/// </remarks>
internal sealed class SparseGlcmLoss : GlcmLoss
{
    private readonly int _reach;

    public SparseGlcmLoss(GlcmLossOptions options, DataRange range)
        : base(options, range)
    {
        _reach = ReachFor(options.Sharpness, options.Tolerance);
    }

    /// <summary>Bins kept on each side of a value's own bin.</summary>
    public int Reach => _reach;

    /// <summary>Use the CPU kernel (true), the device-independent tensor form (false), or pick: the kernel for float32 CPU tensors and at most <see cref="CpuSparseGlcmKernel.MaxBins"/> bins (null).</summary>
    public bool? UseCpuKernel { get; init; }

    /// <summary>Smallest R with sigmoid(-L R) at most the tolerance.</summary>
    public static int ReachFor(double sharpness, double tolerance) =>
        Math.Max(1, (int)Math.Ceiling(Math.Log((1 - tolerance) / tolerance) / sharpness));

    /// <inheritdoc />
    public override Tensor PerPatch(Tensor predicted, Tensor target) =>
        UsesCpuKernel(predicted) ? PerPatchOnCpu(predicted, target) : PerPatchWithTensors(predicted, target);

    /// <summary>True when patches like <paramref name="predicted"/> go to the CPU kernel.</summary>
    public bool UsesCpuKernel(Tensor predicted) =>
        UseCpuKernel ?? (predicted.device.type == DeviceType.CPU && predicted.dtype == ScalarType.Float32 && Options.Bins <= CpuSparseGlcmKernel.MaxBins);

    /// <summary>The CPU kernel on pixel arrays (patches, P, P) already clamped: per-patch values; fills d(value of its patch)/d(pixel).</summary>
    public float[] EvaluateOnCpu(float[] predicted, float[] target, float[] gradient, int patches, int size) =>
        // As many threads as libtorch uses (the trainer's --threads), so the two never oversubscribe the cores between them.
        CpuSparseGlcmKernel.Evaluate(predicted, target, gradient, patches, size, Options, Range, _reach, torch.get_num_threads());

    /// <summary>The kernel's values, with its gradient attached through the memberships (straight-through: value + (g.m - stop(g.m))).</summary>
    private Tensor PerPatchOnCpu(Tensor predicted, Tensor target)
    {
        using var scope = torch.NewDisposeScope();
        var patches = (int)predicted.shape[0];
        var size = (int)predicted.shape[^1];
        var length = patches * size * size;
        var clamped = Clamp(predicted);
        // Pooled buffers: fresh large arrays each step land on the large-object heap and trigger full collections.
        var predictedValues = ArrayPool<float>.Shared.Rent(length);
        var targetValues = ArrayPool<float>.Shared.Rent(length);
        var gradient = ArrayPool<float>.Shared.Rent(length);
        try
        {
            // Tensor.bytes is a view of a contiguous CPU tensor's storage: block copies instead of element-wise accessors.
            MemoryMarshal.Cast<byte, float>(clamped.detach().to_type(ScalarType.Float32).contiguous().bytes).CopyTo(predictedValues);
            using (torch.no_grad())
            {
                MemoryMarshal.Cast<byte, float>(Clamp(target).to_type(ScalarType.Float32).contiguous().bytes).CopyTo(targetValues);
            }

            var values = EvaluateOnCpu(predictedValues, targetValues, gradient, patches, size);
            var perPatch = torch.tensor(values, [patches]);
            if (!clamped.requires_grad)
            {
                return perPatch.to_type(predicted.dtype).MoveToOuterDisposeScope();
            }

            var slope = torch.empty(clamped.shape, ScalarType.Float32);
            gradient.AsSpan(0, length).CopyTo(MemoryMarshal.Cast<byte, float>(slope.bytes));
            var linear = (clamped * slope.to_type(clamped.dtype)).sum([1, 2]);
            return perPatch.to_type(predicted.dtype).Plus(linear).sub(linear.detach()).MoveToOuterDisposeScope();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(predictedValues);
            ArrayPool<float>.Shared.Return(targetValues);
            ArrayPool<float>.Shared.Return(gradient);
        }
    }

    private Tensor PerPatchWithTensors(Tensor predicted, Tensor target)
    {
        using var scope = torch.NewDisposeScope();
        var patches = predicted.shape[0];
        var (keysPredicted, valuesPredicted) = Contributions(Clamp(predicted));
        Tensor keysTarget, valuesTarget;
        using (torch.no_grad())
        {
            (keysTarget, valuesTarget) = Contributions(Clamp(target));
        }

        var (unique, inverseOrNull, _) = torch.unique(torch.cat([keysPredicted, keysTarget]), sorted: false, return_inverse: true);
        var inverse = inverseOrNull!;
        var count = unique.shape[0];
        var glcmPredicted = torch.zeros(count, dtype: predicted.dtype, device: predicted.device)
            .index_add(0, inverse.narrow(0, 0, keysPredicted.shape[0]), valuesPredicted, TensorMath.One);
        var glcmTarget = torch.zeros(count, dtype: predicted.dtype, device: predicted.device)
            .index_add(0, inverse.narrow(0, keysPredicted.shape[0], keysTarget.shape[0]), valuesTarget, TensorMath.One);
        var groups = patches * Options.Offsets.Count;
        var group = GroupOf(unique);
        if (Options.Scale)
        {
            glcmPredicted = SoftGlcm.ScaleTransform(glcmPredicted, GroupSum(glcmPredicted, group, groups).index_select(0, group));
            glcmTarget = SoftGlcm.ScaleTransform(glcmTarget, GroupSum(glcmTarget, group, groups).index_select(0, group));
        }

        var squared = (glcmPredicted - glcmTarget).Squared();
        var entries = (double)Options.Bins * Options.Bins;
        var perMatrix = GroupSum(squared, group, groups).DividedBy(entries);
        return perMatrix.view(patches, Options.Offsets.Count).mean([1]).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor FeaturesPerPatch(Tensor patches)
    {
        using var scope = torch.NewDisposeScope();
        var count = patches.shape[0];
        var (keys, values) = Contributions(Clamp(patches));
        var (unique, inverse, _) = torch.unique(keys, sorted: false, return_inverse: true);
        ArgumentNullException.ThrowIfNull(inverse);
        var glcm = torch.zeros(unique.shape[0], dtype: patches.dtype, device: patches.device).index_add(0, inverse, values, TensorMath.One);
        var groups = count * Options.Offsets.Count;
        var group = GroupOf(unique);
        var probability = glcm / GroupSum(glcm, group, groups).index_select(0, group);
        var bins = (long)Options.Bins;
        var i = TensorMath.WithScalar(bins, k => unique.div(k, RoundingMode.floor).remainder(k)).to_type(patches.dtype);
        var j = TensorMath.WithScalar(bins, k => unique.remainder(k)).to_type(patches.dtype);
        var features = Features(probability, i, j, t => GroupSum(t, group, groups), t => t.index_select(0, group));
        return features.view(count, Options.Offsets.Count, FeatureCount).MoveToOuterDisposeScope();
    }

    /// <summary>Memberships of each pixel in the 2R + 1 bins around its own: values and bin indices, (..., 2R + 1) each.</summary>
    public (Tensor Values, Tensor Bins) Memberships(Tensor values)
    {
        using var scope = torch.NewDisposeScope();
        var bins = Options.Bins;
        Tensor ownBin;
        using (torch.no_grad())
        {
            ownBin = TensorMath.WithScalars(0.0, bins - 1.0, (low, high) => values.detach().Minus(Range.Min).DividedBy(Range.Width / bins).floor().clamp(low, high)).to_type(ScalarType.Int64);
        }

        var window = TensorMath.Arange(-_reach, _reach + 1, ScalarType.Int64, values.device);
        var bin = ownBin.unsqueeze(-1).Plus(window);
        var inRange = TensorMath.WithScalars(0L, bins, (low, end) => bin.ge(low).logical_and(bin.lt(end))).to_type(values.dtype);
        var clamped = TensorMath.WithScalars(0L, bins - 1L, (low, high) => bin.clamp(low, high));
        var centres = SoftGlcm.BinCentres(clamped, bins, Range, values.dtype);
        var memberships = SoftGlcm.Membership(values.unsqueeze(-1), centres, bins, Range, Options.Sharpness) * inRange;
        return (memberships.MoveToOuterDisposeScope(), clamped.MoveToOuterDisposeScope());
    }

    /// <summary>Every (key, soft count) contribution of patches (N, P, P): key = ((patch * offsets + offset) * K + i) * K + j.</summary>
    private (Tensor Keys, Tensor Values) Contributions(Tensor patches)
    {
        using var scope = torch.NewDisposeScope();
        var (memberships, bins) = Memberships(patches);
        var count = patches.shape[0];
        var offsets = Options.Offsets.Count;
        var k = (long)Options.Bins;
        var patchIndex = TensorMath.Arange(count, patches.device).view(count, 1, 1, 1, 1);
        var keys = new List<Tensor>(offsets);
        var values = new List<Tensor>(offsets);
        for (var o = 0; o < offsets; o++)
        {
            var offset = Options.Offsets[o];
            var (referenceValues, neighbourValues) = PairSlices(memberships, offset);
            var (referenceBins, neighbourBins) = PairSlices(bins, offset);
            values.Add((referenceValues.unsqueeze(-1) * neighbourValues.unsqueeze(-2)).reshape(-1));
            var key = patchIndex.Times(offsets).Plus(o).Times(k).Plus(referenceBins.unsqueeze(-1)).Times(k).Plus(neighbourBins.unsqueeze(-2));
            keys.Add(key.reshape(-1));
        }

        return (torch.cat(keys).MoveToOuterDisposeScope(), torch.cat(values).MoveToOuterDisposeScope());
    }

    /// <summary>Pair slices of a per-pixel tensor (N, P, P, W): the spatial axes are the two before the last.</summary>
    private static (Tensor Reference, Tensor Neighbour) PairSlices(Tensor perPixel, GlcmOffset offset)
    {
        var moved = perPixel.movedim([-1], [1]);
        var (reference, neighbour) = SoftGlcm.PairSlices(moved, offset);
        return (reference.movedim([1], [-1]), neighbour.movedim([1], [-1]));
    }

    private Tensor GroupOf(Tensor keys) => TensorMath.WithScalar((long)Options.Bins * Options.Bins, matrix => keys.div(matrix, RoundingMode.floor));

    private static Tensor GroupSum(Tensor values, Tensor group, long groups) =>
        torch.zeros(groups, dtype: values.dtype, device: values.device).index_add(0, group, values, TensorMath.One);
}
