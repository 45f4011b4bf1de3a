using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GlcmMae.Shared.Preprocessing;

/// <summary>Separable resize with PIL-style antialiasing, computing only the output pixels inside a crop.</summary>
/// <remarks>
/// Output pixel i samples the input at (i + 0.5) * scale - 0.5 (pixel centres aligned). When downscaling the kernel is
/// stretched by the scale factor, so every input pixel contributes; weights of each output pixel are normalised to sum 1.
/// </remarks>
internal static class Resampler
{
    private static readonly ConcurrentDictionary<(int In, int Out, int Start, int Count, ResizeKernel Kernel), AxisWeights> Cache = new();

    /// <summary>Resizes a single-channel image to (outWidth, outHeight) and returns the crop starting at (cropX, cropY).</summary>
    public static void ResizeCrop(
        ReadOnlySpan<float> input, int width, int height,
        int outWidth, int outHeight, int cropX, int cropY, int cropWidth, int cropHeight,
        ResizeKernel kernel, Span<float> output)
    {
        var horizontal = Weights(width, outWidth, cropX, cropWidth, kernel);
        var vertical = Weights(height, outHeight, cropY, cropHeight, kernel);
        if (horizontal.IsCopy && vertical.IsCopy)
        {
            // Same size on both axes (a scan already at the model's resolution): every output pixel is one input pixel
            // with weight 1, so the crop is a copy, value for value.
            for (var y = 0; y < cropHeight; y++)
            {
                input.Slice((vertical.Start[y] * width) + horizontal.Start[0], cropWidth).CopyTo(output.Slice(y * cropWidth, cropWidth));
            }

            return;
        }

        // Vertical pass first: it runs over whole rows, so it vectorises; only the columns the crop needs are kept.
        var firstColumn = horizontal.MinSource;
        var columnCount = horizontal.MaxSource - firstColumn + 1;
        var temp = System.Buffers.ArrayPool<float>.Shared.Rent(cropHeight * columnCount);
        try
        {
            for (var y = 0; y < cropHeight; y++)
            {
                var weights = vertical.Values.AsSpan(vertical.Offset[y], vertical.Count[y]);
                var rows = input[((vertical.Start[y] * width) + firstColumn)..];
                VerticalTaps(rows, width, weights, temp.AsSpan(y * columnCount, columnCount));
            }

            for (var y = 0; y < cropHeight; y++)
            {
                var source = temp.AsSpan(y * columnCount, columnCount);
                var target = output.Slice(y * cropWidth, cropWidth);
                for (var x = 0; x < cropWidth; x++)
                {
                    var taps = source.Slice(horizontal.Start[x] - firstColumn, horizontal.Count[x]);
                    var weights = horizontal.Values.AsSpan(horizontal.Offset[x], horizontal.Count[x]);
                    var sum = 0f;
                    for (var k = 0; k < taps.Length; k++)
                    {
                        sum += taps[k] * weights[k];
                    }

                    target[x] = sum;
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(temp);
        }
    }

    /// <summary>One output row of the vertical pass: target[x] = sum over k of weights[k] * rows[k * stride + x].</summary>
    /// <remarks>
    /// Each block of columns keeps its sum in a register across all taps instead of reading and writing the output row
    /// once per tap; the sums are formed in the same order as before, so the values are the same to the bit.
    /// </remarks>
    private static void VerticalTaps(ReadOnlySpan<float> rows, int stride, ReadOnlySpan<float> weights, Span<float> target)
    {
        if ((long)(weights.Length - 1) * stride + target.Length > rows.Length)
        {
            throw new ArgumentException("The taps reach past the input image.", nameof(rows));
        }

        ref var source = ref MemoryMarshal.GetReference(rows);
        ref var output = ref MemoryMarshal.GetReference(target);
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<float>.Count;
            // Four blocks at a time: a block's sum is one chain of dependent additions, so a block alone waits out
            // the adder's latency at every tap; four chains keep the adder busy (same additions per column, same bits).
            for (; x <= target.Length - (4 * lanes); x += 4 * lanes)
            {
                var (sum0, sum1, sum2, sum3) = (Vector<float>.Zero, Vector<float>.Zero, Vector<float>.Zero, Vector<float>.Zero);
                for (var k = 0; k < weights.Length; k++)
                {
                    var weight = new Vector<float>(weights[k]);
                    ref var row = ref Unsafe.Add(ref source, (k * stride) + x);
                    sum0 += Vector.LoadUnsafe(ref row) * weight;
                    sum1 += Vector.LoadUnsafe(ref row, (nuint)lanes) * weight;
                    sum2 += Vector.LoadUnsafe(ref row, (nuint)(2 * lanes)) * weight;
                    sum3 += Vector.LoadUnsafe(ref row, (nuint)(3 * lanes)) * weight;
                }

                sum0.StoreUnsafe(ref output, (nuint)x);
                sum1.StoreUnsafe(ref output, (nuint)(x + lanes));
                sum2.StoreUnsafe(ref output, (nuint)(x + (2 * lanes)));
                sum3.StoreUnsafe(ref output, (nuint)(x + (3 * lanes)));
            }

            for (; x <= target.Length - lanes; x += lanes)
            {
                var sum = Vector<float>.Zero;
                for (var k = 0; k < weights.Length; k++)
                {
                    sum += Vector.LoadUnsafe(ref source, (nuint)((k * stride) + x)) * new Vector<float>(weights[k]);
                }

                sum.CopyTo(target[x..]);
            }
        }

        for (; x < target.Length; x++)
        {
            var sum = 0f;
            for (var k = 0; k < weights.Length; k++)
            {
                sum += Unsafe.Add(ref source, (k * stride) + x) * weights[k];
            }

            target[x] = sum;
        }
    }

    private static AxisWeights Weights(int inSize, int outSize, int start, int count, ResizeKernel kernel) =>
        Cache.GetOrAdd((inSize, outSize, start, count, kernel), key => AxisWeights.Create(key.In, key.Out, key.Start, key.Count, key.Kernel));

    private sealed class AxisWeights
    {
        public required int[] Start { get; init; }

        public required int[] Count { get; init; }

        public required int[] Offset { get; init; }

        public required float[] Values { get; init; }

        public int MinSource { get; private init; }

        public int MaxSource { get; private init; }

        /// <summary>True when output pixel i is input pixel Start[0] + i with weight 1.</summary>
        public bool IsCopy { get; private init; }

        public static AxisWeights Create(int inSize, int outSize, int first, int count, ResizeKernel kernel)
        {
            var scale = inSize / (double)outSize;
            var filterScale = Math.Max(scale, 1.0);
            var support = (kernel == ResizeKernel.Bicubic ? 2.0 : 1.0) * filterScale;
            var starts = new int[count];
            var counts = new int[count];
            var offsets = new int[count];
            var values = new List<float>();
            int min = int.MaxValue, max = int.MinValue;
            for (var i = 0; i < count; i++)
            {
                var center = ((first + i) + 0.5) * scale;
                var lo = Math.Max((int)Math.Floor(center - support), 0);
                var hi = Math.Min((int)Math.Ceiling(center + support), inSize);
                var weights = new double[hi - lo];
                var total = 0.0;
                for (var j = lo; j < hi; j++)
                {
                    var w = Kernel(((j + 0.5) - center) / filterScale, kernel);
                    weights[j - lo] = w;
                    total += w;
                }

                // Trim zero weights at both ends so loops touch only contributing pixels.
                var a = 0;
                var b = weights.Length;
                while (a < b && weights[a] == 0)
                {
                    a++;
                }

                while (b > a && weights[b - 1] == 0)
                {
                    b--;
                }

                starts[i] = lo + a;
                counts[i] = b - a;
                offsets[i] = values.Count;
                for (var k = a; k < b; k++)
                {
                    values.Add((float)(weights[k] / total));
                }

                min = Math.Min(min, starts[i]);
                max = Math.Max(max, starts[i] + counts[i] - 1);
            }

            // Every output pixel one input pixel, weight 1, at a constant offset (checked per resize, so without LINQ).
            var copy = count > 0;
            for (var i = 0; i < count && copy; i++)
            {
                copy = counts[i] == 1 && values[offsets[i]] == 1f && starts[i] - i == starts[0];
            }

            return new AxisWeights { Start = starts, Count = counts, Offset = offsets, Values = [.. values], MinSource = min, MaxSource = max, IsCopy = copy };
        }

        private static double Kernel(double x, ResizeKernel kernel)
        {
            x = Math.Abs(x);
            if (kernel == ResizeKernel.Bilinear)
            {
                return x < 1 ? 1 - x : 0;
            }

            const double a = -0.5;
            return x < 1 ? (((a + 2) * x) - (a + 3)) * x * x + 1
                : x < 2 ? (((((x - 5) * x) + 8) * x) - 4) * a
                : 0;
        }
    }
}
