using System.Buffers;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Losses;

/// <summary>The GLCM and SSIM terms of the pretraining loss in one CPU pass over the prediction, with one combined gradient.</summary>
/// <remarks>
/// Computed apart, each term clamps the prediction, selects channel 0, gathers the masked patches, copies them out of
/// libtorch and attaches its gradient through a chain of its own small autograd operations; for a tiny model those
/// copies and backward operations cost about as much as the terms' arithmetic. Here the prediction leaves libtorch once,
/// both kernels read the same arrays, and their weighted gradients, passed through the clamp (where the prediction lies
/// inside the range, ends included, as libtorch's clamp passes them), are summed into one tensor that a single product
/// carries back: value + (prediction . g - stop(prediction . g)).
/// </remarks>
internal static class CpuTextureTerms
{
    /// <summary>The weighted texture terms (a scalar carrying their gradient to <paramref name="prediction"/>) and the unweighted term values.</summary>
    /// <param name="prediction">Predicted patches (B, L, P*P*C), float32 on the CPU.</param>
    /// <param name="target">Target patches, same shape.</param>
    /// <param name="mask">(B, L), non-zero where a patch was masked (and is compared).</param>
    /// <param name="glcm">The GLCM loss, or null when its weight is 0.</param>
    /// <param name="ssim">The SSIM term, or null when its weight is 0.</param>
    public static (Tensor Weighted, double Glcm, double Ssim) Evaluate(
        Tensor prediction, Tensor target, Tensor mask, int patchSize, int channels, DataRange range,
        SparseGlcmLoss? glcm, double glcmWeight, PatchSsim? ssim, double ssimWeight)
    {
        using var scope = torch.NewDisposeScope();
        var samples = (int)prediction.shape[0];
        var patches = (int)prediction.shape[1];
        var pixels = patchSize * patchSize;
        var count = samples * patches * pixels;
        var selected = Selected(mask);
        var n = selected.Length;
        var pool = ArrayPool<float>.Shared;
        var raw = pool.Rent(count);
        var clamped = pool.Rent(count);
        var targetValues = pool.Rent(count);
        var gradient = pool.Rent(count);
        try
        {
            ChannelZero(prediction, raw.AsSpan(0, count), channels);
            ChannelZero(target, targetValues.AsSpan(0, count), channels);
            var (low, high) = ((float)range.Min, (float)range.Max);
            for (var i = 0; i < count; i++)
            {
                clamped[i] = Math.Clamp(raw[i], low, high);
            }

            double glcmValue = double.NaN, ssimValue = double.NaN;
            var combined = gradient.AsSpan(0, count);
            combined.Clear();
            if (ssim is not null)
            {
                // The SSIM kernel fills every pixel's gradient (the normalisation reaches unselected extremes too).
                var mean = ssim.MeanOfNormalisedOnCpu(clamped.AsSpan(0, count), targetValues.AsSpan(0, count), combined, samples, patchSize, selected);
                ssimValue = 1 - mean;
                var factor = (float)-ssimWeight;
                for (var i = 0; i < count; i++)
                {
                    combined[i] *= factor;
                }
            }

            if (glcm is not null)
            {
                glcmValue = AddGlcm(glcm, glcmWeight, clamped, targetValues, gradient, selected, pixels, patchSize, range);
            }

            // The clamp's backward: the gradient passes where low <= x <= high (NaN passes nothing).
            for (var i = 0; i < count; i++)
            {
                var x = raw[i];
                combined[i] = x >= low && x <= high ? combined[i] : 0;
            }

            var slope = torch.zeros(prediction.shape, ScalarType.Float32);
            Spread(combined, MemoryMarshal.Cast<byte, float>(slope.bytes), channels);
            var weighted = (glcm is null ? 0 : glcmWeight * glcmValue) + (ssim is null ? 0 : ssimWeight * ssimValue);
            var value = torch.tensor((float)weighted, dtype: prediction.dtype);
            if (!prediction.requires_grad)
            {
                return (value.MoveToOuterDisposeScope(), glcmValue, ssimValue);
            }

            var linear = (prediction * slope).sum();
            return ((value + linear - linear.detach()).MoveToOuterDisposeScope(), glcmValue, ssimValue);
        }
        finally
        {
            pool.Return(raw);
            pool.Return(clamped);
            pool.Return(targetValues);
            pool.Return(gradient);
        }
    }

    // Mean GLCM loss of the selected patches; adds weight x its gradient (mean over patches) into the combined gradient.
    private static double AddGlcm(
        SparseGlcmLoss glcm, double weight, float[] clamped, float[] target, float[] combined, long[] selected, int pixels, int size, DataRange range)
    {
        var n = selected.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        var pool = ArrayPool<float>.Shared;
        var predicted = pool.Rent(n * pixels);
        var targets = pool.Rent(n * pixels);
        var gradient = pool.Rent(n * pixels);
        try
        {
            var (low, high) = ((float)range.Min, (float)range.Max);
            for (var k = 0; k < n; k++)
            {
                var from = (int)selected[k] * pixels;
                clamped.AsSpan(from, pixels).CopyTo(predicted.AsSpan(k * pixels, pixels));
                for (var p = 0; p < pixels; p++)
                {
                    // The GLCM bins clamped targets (the SSIM term normalises raw ones).
                    targets[(k * pixels) + p] = Math.Clamp(target[from + p], low, high);
                }
            }

            var perPatch = glcm.EvaluateOnCpu(predicted, targets, gradient, n, size);
            double sum = 0;
            foreach (var value in perPatch)
            {
                sum += value;
            }

            var factor = (float)(weight / n);
            for (var k = 0; k < n; k++)
            {
                var to = combined.AsSpan((int)selected[k] * pixels, pixels);
                var from = gradient.AsSpan(k * pixels, pixels);
                for (var p = 0; p < pixels; p++)
                {
                    to[p] += factor * from[p];
                }
            }

            return sum / n;
        }
        finally
        {
            pool.Return(predicted);
            pool.Return(targets);
            pool.Return(gradient);
        }
    }

    private static long[] Selected(Tensor mask)
    {
        using var flat = mask.detach().flatten().to_type(ScalarType.Float32).cpu().contiguous();
        var values = MemoryMarshal.Cast<byte, float>(flat.bytes);
        var selected = new List<long>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] != 0)
            {
                selected.Add(i);
            }
        }

        return [.. selected];
    }

    // Copies channel 0 of (B, L, P*P*C) patches (pixels interleaved by channel) into (B, L, P, P).
    private static void ChannelZero(Tensor patches, Span<float> target, int channels)
    {
        using var values = patches.detach().to_type(ScalarType.Float32).contiguous();
        var source = MemoryMarshal.Cast<byte, float>(values.bytes);
        if (channels == 1)
        {
            source[..target.Length].CopyTo(target);
            return;
        }

        for (var i = 0; i < target.Length; i++)
        {
            target[i] = source[i * channels];
        }
    }

    // The reverse: channel 0's gradient into a zeroed (B, L, P*P*C) layout.
    private static void Spread(ReadOnlySpan<float> gradient, Span<float> target, int channels)
    {
        if (channels == 1)
        {
            gradient.CopyTo(target);
            return;
        }

        for (var i = 0; i < gradient.Length; i++)
        {
            target[i * channels] = gradient[i];
        }
    }
}
