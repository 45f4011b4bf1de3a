using System.Buffers;
using System.Runtime.InteropServices;
using GlcmMae.Trainer.Torch;
using TorchSharp;
using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

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
            Clamp(raw.AsSpan(0, count), clamped.AsSpan(0, count), range);

            // The SSIM kernel is single-threaded: it runs beside the GLCM kernel's threads rather than before them, into
            // its own buffer; the two gradients are combined in a fixed order afterwards, so the result does not depend
            // on which finishes first.
            var combined = gradient.AsSpan(0, count);
            var ssimTask = ssim is null
                ? null
                : Task.Run(() => ssim.MeanOfNormalisedOnCpu(clamped.AsSpan(0, count), targetValues.AsSpan(0, count), gradient.AsSpan(0, count), samples, patchSize, selected));
            GlcmPart? glcmPart;
            try
            {
                glcmPart = glcm is null ? null : EvaluateGlcm(glcm, clamped, targetValues, selected, pixels, patchSize, range);
            }
            catch when (ssimTask is not null)
            {
                // The SSIM kernel still writes into pooled buffers: let it finish before they go back (WhenAny never throws).
                Task.WhenAny(ssimTask).GetAwaiter().GetResult();
                _ = ssimTask.Exception;
                throw;
            }

            double glcmValue = double.NaN, ssimValue = double.NaN;
            if (ssimTask is not null)
            {
                ssimValue = 1 - ssimTask.GetAwaiter().GetResult();
                TensorPrimitives.Multiply(combined, (float)-ssimWeight, combined);
            }
            else
            {
                combined.Clear();
            }

            if (glcmPart is { } part)
            {
                glcmValue = part.Mean;
                AddGlcmGradient(part, glcmWeight, combined, selected, pixels);
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
            return (value.Plus(linear).sub(linear.detach()).MoveToOuterDisposeScope(), glcmValue, ssimValue);
        }
        finally
        {
            pool.Return(raw);
            pool.Return(clamped);
            pool.Return(targetValues);
            pool.Return(gradient);
        }
    }

    // The GLCM loss of the selected patches: their mean and each patch's gradient (pooled; AddGlcmGradient returns it).
    private static GlcmPart? EvaluateGlcm(SparseGlcmLoss glcm, float[] clamped, float[] target, long[] selected, int pixels, int size, DataRange range)
    {
        var n = selected.Length;
        if (n == 0)
        {
            return null;
        }

        var pool = ArrayPool<float>.Shared;
        var predicted = pool.Rent(n * pixels);
        var targets = pool.Rent(n * pixels);
        var gradient = pool.Rent(n * pixels);
        try
        {
            for (var k = 0; k < n; k++)
            {
                var from = (int)selected[k] * pixels;
                clamped.AsSpan(from, pixels).CopyTo(predicted.AsSpan(k * pixels, pixels));
                // The GLCM bins clamped targets (the SSIM term normalises raw ones).
                Clamp(target.AsSpan(from, pixels), targets.AsSpan(k * pixels, pixels), range);
            }

            var perPatch = glcm.EvaluateOnCpu(predicted, targets, gradient, n, size);
            double sum = 0;
            foreach (var value in perPatch)
            {
                sum += value;
            }

            return new GlcmPart(sum / n, gradient);
        }
        catch
        {
            pool.Return(gradient);
            throw;
        }
        finally
        {
            pool.Return(predicted);
            pool.Return(targets);
        }
    }

    // Adds weight x d(mean GLCM loss)/d(pixel) into the combined gradient and returns the pooled buffer.
    private static void AddGlcmGradient(GlcmPart part, double weight, Span<float> combined, long[] selected, int pixels)
    {
        try
        {
            var n = selected.Length;
            var factor = (float)(weight / n);
            for (var k = 0; k < n; k++)
            {
                var to = combined.Slice((int)selected[k] * pixels, pixels);
                TensorPrimitives.MultiplyAdd(part.Gradient.AsSpan(k * pixels, pixels), factor, to, to);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(part.Gradient);
        }
    }

    private sealed record GlcmPart(double Mean, float[] Gradient);

    // Clamps to the data range (NaN stays NaN), for predictions and targets alike.
    private static void Clamp(ReadOnlySpan<float> values, Span<float> clamped, DataRange range)
    {
        TensorPrimitives.Max(values, (float)range.Min, clamped);
        TensorPrimitives.Min(clamped, (float)range.Max, clamped);
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
