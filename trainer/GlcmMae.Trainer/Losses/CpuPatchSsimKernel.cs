using System.Buffers;
using System.Numerics.Tensors;

namespace GlcmMae.Trainer.Losses;

/// <summary>Per-patch SSIM and its gradient for float32 patches on the CPU, laid out pixel-major (P, P, N): every step is SIMD across patches.</summary>
/// <remarks>
/// A tiny preset's batch has a few hundred 16 x 16 patches whose 6 x 6 SSIM maps cost libtorch dozens of small
/// operations forward and backward. With the patch index innermost, each filter tap is one fused multiply-add over all
/// patches at once, and the backward pass is the filters' adjoints applied to the closed-form derivatives of the map.
/// </remarks>
internal static class CpuPatchSsimKernel
{
    private const float C1 = 0.01f * 0.01f;
    private const float C2 = 0.03f * 0.03f;

    /// <summary>Mean SSIM of each patch; fills d(mean SSIM of its patch)/d(predicted pixel).</summary>
    /// <param name="predicted">Predicted patches, (P, P, N) pixel-major, values in [0, 1].</param>
    /// <param name="target">Target patches, same layout.</param>
    /// <param name="gradient">Receives the gradient, same layout.</param>
    /// <param name="window">The normalised 1-D Gaussian window (the 2-D window is its outer product).</param>
    public static float[] Evaluate(ReadOnlySpan<float> predicted, ReadOnlySpan<float> target, Span<float> gradient, int size, int patches, ReadOnlySpan<float> window)
    {
        var outputs = size - window.Length + 1;
        if (outputs < 1)
        {
            throw new ArgumentException($"SSIM needs patches of at least {window.Length}x{window.Length} pixels (the window is not padded).");
        }

        var n = patches;
        var pixels = size * size * n;
        var positions = outputs * outputs * n;

        // Pooled: a batch's buffers are megabytes, and a fresh large array every step would land on the large-object heap.
        var length = (3 * pixels) + (outputs * size * n) + (12 * positions);
        var pool = ArrayPool<float>.Shared.Rent(length);
        try
        {
            return Evaluate(predicted, target, gradient, size, n, window, outputs, pool.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(pool);
        }
    }

    private static float[] Evaluate(
        ReadOnlySpan<float> predicted, ReadOnlySpan<float> target, Span<float> gradient, int size, int n, ReadOnlySpan<float> window, int outputs, Memory<float> memory)
    {
        var pixels = size * size * n;
        var positions = outputs * outputs * n;
        Span<float> Take(int length)
        {
            var span = memory.Span[..length];
            memory = memory[length..];
            return span;
        }

        var product = Take(pixels);
        var adjoint = Take(pixels);
        var adjointScratch = Take(pixels);
        var rows = Take(outputs * size * n);
        var meanX = Take(positions);
        var meanY = Take(positions);
        var xx = Take(positions);
        var yy = Take(positions);
        var xy = Take(positions);
        var a1 = Take(positions);
        var a2 = Take(positions);
        var b1 = Take(positions);
        var b2 = Take(positions);
        var map = Take(positions);
        var work = Take(positions);
        var slope = Take(positions);

        Filter(predicted, meanX, rows, size, outputs, n, window);
        Filter(target, meanY, rows, size, outputs, n, window);
        TensorPrimitives.Multiply(predicted, predicted, product);
        Filter(product, xx, rows, size, outputs, n, window);
        TensorPrimitives.Multiply(target, target, product);
        Filter(product, yy, rows, size, outputs, n, window);
        TensorPrimitives.Multiply(predicted, target, product);
        Filter(product, xy, rows, size, outputs, n, window);

        // A1 = 2 mx my + c1, A2 = 2 (Exy - mx my) + c2, B1 = mx^2 + my^2 + c1, B2 = Exx - mx^2 + Eyy - my^2 + c2.
        TensorPrimitives.Multiply(meanX, meanY, work);
        TensorPrimitives.Multiply(work, 2f, a1);
        TensorPrimitives.Add(a1, C1, a1);
        TensorPrimitives.Subtract(xy, work, a2);
        TensorPrimitives.Multiply(a2, 2f, a2);
        TensorPrimitives.Add(a2, C2, a2);
        TensorPrimitives.Multiply(meanX, meanX, b1);
        TensorPrimitives.Subtract(xx, b1, b2);
        TensorPrimitives.Multiply(meanY, meanY, work);
        TensorPrimitives.Add(b1, work, b1);
        TensorPrimitives.Add(b1, C1, b1);
        TensorPrimitives.Add(b2, yy, b2);
        TensorPrimitives.Subtract(b2, work, b2);
        TensorPrimitives.Add(b2, C2, b2);
        TensorPrimitives.Multiply(a1, a2, map);
        TensorPrimitives.Multiply(b1, b2, work);
        TensorPrimitives.Divide(map, work, map);

        var perPatch = new float[n];
        var scale = 1f / (outputs * outputs);
        for (var q = 0; q < outputs * outputs; q++)
        {
            TensorPrimitives.Add(perPatch, map.Slice(q * n, n), perPatch);
        }

        TensorPrimitives.Multiply(perPatch, scale, perPatch);

        // d(mean S)/d mx = S (2 my / A1 - 2 my / A2 - 2 mx / B1 + 2 mx / B2) / Q^2, through the filter of x.
        TensorPrimitives.Divide(meanY, a1, slope);
        TensorPrimitives.Divide(meanY, a2, work);
        TensorPrimitives.Subtract(slope, work, slope);
        TensorPrimitives.Divide(meanX, b1, work);
        TensorPrimitives.Subtract(slope, work, slope);
        TensorPrimitives.Divide(meanX, b2, work);
        TensorPrimitives.Add(slope, work, slope);
        TensorPrimitives.Multiply(slope, map, slope);
        TensorPrimitives.Multiply(slope, 2 * scale, slope);
        FilterAdjoint(slope, gradient, rows, size, outputs, n, window);

        // d(mean S)/d Exx = -S / (B2 Q^2), through the filter of x^2: 2 x times its adjoint.
        TensorPrimitives.Divide(map, b2, slope);
        TensorPrimitives.Multiply(slope, -scale, slope);
        FilterAdjoint(slope, adjoint, rows, size, outputs, n, window);
        TensorPrimitives.Multiply(adjoint, predicted, adjointScratch);
        TensorPrimitives.MultiplyAdd(adjointScratch, 2f, gradient, gradient);

        // d(mean S)/d Exy = 2 S / (A2 Q^2), through the filter of x y: y times its adjoint.
        TensorPrimitives.Divide(map, a2, slope);
        TensorPrimitives.Multiply(slope, 2 * scale, slope);
        FilterAdjoint(slope, adjoint, rows, size, outputs, n, window);
        TensorPrimitives.MultiplyAdd(adjoint, target, gradient, gradient);
        return perPatch;
    }

    // Valid separable filter of (P, P, N) images into (Q, Q, N): rows first into (Q, P, N), then columns.
    private static void Filter(ReadOnlySpan<float> input, Span<float> output, Span<float> rows, int size, int outputs, int n, ReadOnlySpan<float> window)
    {
        rows = rows[..(outputs * size * n)];
        rows.Clear();
        for (var i = 0; i < outputs; i++)
        {
            for (var k = 0; k < window.Length; k++)
            {
                var source = input.Slice((i + k) * size * n, size * n);
                var destination = rows.Slice(i * size * n, size * n);
                TensorPrimitives.MultiplyAdd(source, window[k], destination, destination);
            }
        }

        output = output[..(outputs * outputs * n)];
        output.Clear();
        for (var i = 0; i < outputs; i++)
        {
            for (var j = 0; j < outputs; j++)
            {
                var destination = output.Slice(((i * outputs) + j) * n, n);
                for (var k = 0; k < window.Length; k++)
                {
                    TensorPrimitives.MultiplyAdd(rows.Slice(((i * size) + j + k) * n, n), window[k], destination, destination);
                }
            }
        }
    }

    // The filter's transpose: spreads (Q, Q, N) values back over the (P, P, N) pixels each output read.
    private static void FilterAdjoint(ReadOnlySpan<float> input, Span<float> output, Span<float> rows, int size, int outputs, int n, ReadOnlySpan<float> window)
    {
        rows = rows[..(outputs * size * n)];
        rows.Clear();
        for (var i = 0; i < outputs; i++)
        {
            for (var j = 0; j < outputs; j++)
            {
                var source = input.Slice(((i * outputs) + j) * n, n);
                for (var k = 0; k < window.Length; k++)
                {
                    var destination = rows.Slice(((i * size) + j + k) * n, n);
                    TensorPrimitives.MultiplyAdd(source, window[k], destination, destination);
                }
            }
        }

        output = output[..(size * size * n)];
        output.Clear();
        for (var i = 0; i < outputs; i++)
        {
            var source = rows.Slice(i * size * n, size * n);
            for (var k = 0; k < window.Length; k++)
            {
                var destination = output.Slice((i + k) * size * n, size * n);
                TensorPrimitives.MultiplyAdd(source, window[k], destination, destination);
            }
        }
    }
}
