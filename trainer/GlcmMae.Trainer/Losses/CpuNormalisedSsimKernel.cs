using System.Buffers;
using System.Numerics.Tensors;

namespace GlcmMae.Trainer.Losses;

/// <summary>The pretraining SSIM term on the CPU in one pass: per-sample min-max normalisation, selection of masked patches, mean patch SSIM, and the gradient back through all three.</summary>
/// <remarks>
/// In libtorch this chain is two dozen small operations forward and as many backward, which cost a tiny model more
/// than the SSIM arithmetic. The normalisation's gradient follows libtorch's: x' = (x - lo) / max(hi - lo, 1e-8), with
/// the gradient of lo (hi) shared evenly by every pixel equal to the minimum (maximum) of its sample.
/// </remarks>
internal static class CpuNormalisedSsimKernel
{
    private const float Epsilon = 1e-8f;

    /// <summary>Mean SSIM of the selected patches; fills d(mean)/d(predicted pixel) for every pixel (zero where no patch was selected and no extreme lies).</summary>
    /// <param name="predicted">Predicted patches of every sample, (B, L, P, P), already clamped to the data range.</param>
    /// <param name="target">Target patches, same shape.</param>
    /// <param name="gradient">Receives the gradient, same shape.</param>
    /// <param name="selected">Indices of the compared patches in the flattened (B L) patch axis.</param>
    /// <param name="window">The normalised 1-D Gaussian window.</param>
    public static double EvaluateMean(
        ReadOnlySpan<float> predicted, ReadOnlySpan<float> target, Span<float> gradient, int samples, int size, ReadOnlySpan<long> selected, ReadOnlySpan<float> window)
    {
        var pixels = size * size;
        var total = predicted.Length;
        var perSample = total / samples;
        var n = selected.Length;
        if (n == 0)
        {
            gradient[..total].Clear();
            return double.NaN;
        }

        var buffer = ArrayPool<float>.Shared.Rent(3 * n * pixels);
        try
        {
            var x = buffer.AsSpan(0, n * pixels);
            var y = buffer.AsSpan(n * pixels, n * pixels);
            var slope = buffer.AsSpan(2 * n * pixels, n * pixels);
            Span<float> predictedLow = stackalloc float[samples];
            Span<float> predictedHigh = stackalloc float[samples];
            Span<float> targetLow = stackalloc float[samples];
            Span<float> targetHigh = stackalloc float[samples];
            for (var b = 0; b < samples; b++)
            {
                (predictedLow[b], predictedHigh[b]) = Extremes(predicted.Slice(b * perSample, perSample));
                (targetLow[b], targetHigh[b]) = Extremes(target.Slice(b * perSample, perSample));
            }

            // Only the selected patches are normalised, straight into the SSIM kernel's pixel-major (P, P, N) layout.
            for (var k = 0; k < n; k++)
            {
                var first = (int)selected[k] * pixels;
                var b = first / perSample;
                var (xLow, xDivisor) = (predictedLow[b], Divisor(predictedLow[b], predictedHigh[b]));
                var (yLow, yDivisor) = (targetLow[b], Divisor(targetLow[b], targetHigh[b]));
                for (var p = 0; p < pixels; p++)
                {
                    x[(p * n) + k] = (predicted[first + p] - xLow) / xDivisor;
                    y[(p * n) + k] = (target[first + p] - yLow) / yDivisor;
                }
            }

            var perPatch = CpuPatchSsimKernel.Evaluate(x, y, slope, size, n, window);
            double sum = 0;
            foreach (var value in perPatch)
            {
                sum += value;
            }

            // Chain rule through the normalisation: d x'_i / d x_j = [i = j] / d, plus the paths through lo and hi, whose
            // sums run over the selected pixels only (the others have no upstream gradient).
            gradient[..total].Clear();
            Span<double> throughLow = stackalloc double[samples];
            Span<double> throughHigh = stackalloc double[samples];
            throughLow.Clear();
            throughHigh.Clear();
            for (var k = 0; k < n; k++)
            {
                var first = (int)selected[k] * pixels;
                var b = first / perSample;
                var clamped = predictedHigh[b] - predictedLow[b] < Epsilon;
                var divisor = Divisor(predictedLow[b], predictedHigh[b]);
                double low = 0, high = 0;
                for (var p = 0; p < pixels; p++)
                {
                    var g = slope[(p * n) + k] / n;
                    var normalised = x[(p * n) + k];
                    gradient[first + p] += g / divisor;
                    // d x'/d lo = (x' - 1) / d and d x'/d hi = -x' / d above the clamp; with it clamped d is a constant,
                    // so d x'/d lo = -1 / d and hi has no effect.
                    low += clamped ? -g : g * (normalised - 1);
                    high += clamped ? 0 : -g * normalised;
                }

                throughLow[b] += low / divisor;
                throughHigh[b] += high / divisor;
            }

            for (var b = 0; b < samples; b++)
            {
                Share(predicted.Slice(b * perSample, perSample), predictedLow[b], throughLow[b], gradient.Slice(b * perSample, perSample));
                Share(predicted.Slice(b * perSample, perSample), predictedHigh[b], throughHigh[b], gradient.Slice(b * perSample, perSample));
            }

            return sum / n;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private static (float Low, float High) Extremes(ReadOnlySpan<float> values) => (TensorPrimitives.Min(values), TensorPrimitives.Max(values));

    // max(hi - lo, eps), as libtorch's clamp_min of the range.
    private static float Divisor(float low, float high) => Math.Max(high - low, Epsilon);

    // Splits the gradient of an extreme evenly among the pixels equal to it.
    private static void Share(ReadOnlySpan<float> values, float extreme, double through, Span<float> gradient)
    {
        if (through == 0)
        {
            return;
        }

        var ties = 0;
        foreach (var value in values)
        {
            ties += value == extreme ? 1 : 0;
        }

        var share = (float)(through / ties);
        for (var i = 0; i < values.Length; i++)
        {
            gradient[i] += values[i] == extreme ? share : 0;
        }
    }
}
