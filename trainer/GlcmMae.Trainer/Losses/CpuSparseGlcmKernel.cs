using System.Runtime.CompilerServices;
using GlcmMae.Shared.Texture;

namespace GlcmMae.Trainer.Losses;

/// <summary>The sparse GLCM loss and its gradient with respect to the predicted memberships, for tensors on the CPU.</summary>
/// <remarks>
/// On a CPU the general sparse form spends most of its time sorting millions of (patch, offset, i, j) keys. Here each
/// patch's K x K key space is a dense slot table (256 KiB at K = 256) reused by one thread, so coalescing is a table
/// lookup, and the gradient comes from the same tables in a second pass. Accumulation is in double precision.
/// Memberships are computed here too, from bin-edge sigmoids (adjacent bins share an edge, so 2R + 2 sigmoids per pixel
/// and per reflection, and reflections only near the ends of the range), together with their derivatives, so the result
/// is d(loss)/d(pixel) and autograd only has to carry it through the clamp.
/// </remarks>
internal static class CpuSparseGlcmKernel
{
    /// <summary>Per-patch loss (mean over offsets and K x K entries); fills d(loss of its patch)/d(predicted pixel).</summary>
    /// <param name="predicted">Predicted pixels (patches, P, P), already clamped to the range (the array may be longer).</param>
    /// <param name="target">Target pixels, same shape, clamped likewise.</param>
    /// <param name="gradient">Receives the gradient, same shape as the pixels.</param>
    public static float[] Evaluate(
        float[] predicted, float[] target, float[] gradient, int patches, int size, GlcmLossOptions options, DataRange range, int reach)
    {
        var perPatch = new float[patches];
        var window = (2 * reach) + 1;
        var offsets = options.Offsets;
        var maxPairs = offsets.Max(o => (size - Math.Abs(o.Rows)) * (size - Math.Abs(o.Columns)));
        var capacity = 2 * maxPairs * window * window;
        var binning = new Binning(options.Bins, range, options.Sharpness, reach, options.Tolerance);
        Parallel.For(
            0,
            patches,
            () => Scratch.Rent(options.Bins, capacity, size * size * window),
            (patch, _, scratch) =>
            {
                var pixels = size * size;
                var first = patch * pixels;
                for (var p = 0; p < pixels; p++)
                {
                    binning.Memberships(predicted[first + p], scratch.PredictedMemberships.AsSpan(p * window, window), scratch.PredictedBins.AsSpan(p * window, window), scratch.PredictedSlopes.AsSpan(p * window, window));
                    binning.Memberships(target[first + p], scratch.TargetMemberships.AsSpan(p * window, window), scratch.TargetBins.AsSpan(p * window, window), null);
                    (scratch.PredictedStart[p], scratch.PredictedLength[p]) = Run(scratch.PredictedMemberships.AsSpan(p * window, window));
                    (scratch.TargetStart[p], scratch.TargetLength[p]) = Run(scratch.TargetMemberships.AsSpan(p * window, window));
                }

                Array.Clear(scratch.MembershipGradient);
                double total = 0;
                foreach (var offset in offsets)
                {
                    total += EvaluateOffset(offset, scratch, size, window, options.Bins, options.Scale, offsets.Count);
                }

                for (var p = 0; p < pixels; p++)
                {
                    double sum = 0;
                    for (var a = 0; a < window; a++)
                    {
                        sum += scratch.MembershipGradient[(p * window) + a] * scratch.PredictedSlopes[(p * window) + a];
                    }

                    gradient[first + p] = (float)sum;
                }

                perPatch[patch] = (float)(total / offsets.Count);
                return scratch;
            },
            Scratch.Return);
        return perPatch;
    }

    // The smallest window run holding every non-zero membership (zeros inside it are harmless).
    private static (int Start, int Length) Run(ReadOnlySpan<double> memberships)
    {
        var start = 0;
        while (start < memberships.Length - 1 && memberships[start] == 0)
        {
            start++;
        }

        var end = memberships.Length;
        while (end > start + 1 && memberships[end - 1] == 0)
        {
            end--;
        }

        return (start, end - start);
    }

    /// <summary>Bytes of working memory one call keeps (pooled between calls): per-thread scratch plus pixel and gradient buffers.</summary>
    public static long WorkingSetBytes(int patches, int size, GlcmLossOptions options, int reach, int threads)
    {
        var window = (2 * reach) + 1;
        var maxPairs = options.Offsets.Max(o => (size - Math.Abs(o.Rows)) * (size - Math.Abs(o.Columns)));
        long capacity = 2L * maxPairs * window * window;
        long perPixelValues = (long)size * size * window;
        var scratch = (4L * options.Bins * options.Bins) + (capacity * (4 + 4 + (3 * 8))) + (perPixelValues * ((4 * 8) + (2 * 4) + (4 * 4)));
        return (threads * scratch) + (3L * patches * size * size * sizeof(float)) + (patches * sizeof(float));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double EvaluateOffset(GlcmOffset offset, Scratch scratch, int size, int window, int bins, bool scale, int offsetCount)
    {
        var predicted = scratch.PredictedMemberships;
        var predictedBins = scratch.PredictedBins;
        var target = scratch.TargetMemberships;
        var targetBins = scratch.TargetBins;
        var gradient = scratch.MembershipGradient;
        var table = scratch.Table;
        var keys = scratch.Keys;
        var predictedCounts = scratch.Predicted;
        var targetCounts = scratch.Target;
        var slopes = scratch.Slope;
        var used = 0;
        var rowStart = Math.Max(0, -offset.Rows);
        var rowEnd = size - Math.Max(0, offset.Rows);
        var columnStart = Math.Max(0, -offset.Columns);
        var columnEnd = size - Math.Max(0, offset.Columns);
        scratch.Count = 0;

        // Pass 1: soft counts of prediction and target in one slot table, so both share the union of their supports.
        // A pixel's non-zero memberships are a contiguous run of its window (own bin and the neighbours within reach that
        // exceed the tolerance); only those products are formed, and each predicted product's slot is kept for pass 2.
        var predictedStart = scratch.PredictedStart;
        var predictedLength = scratch.PredictedLength;
        var targetStart = scratch.TargetStart;
        var targetLength = scratch.TargetLength;
        var productSlots = scratch.ProductSlots;
        var products = 0;
        for (var row = rowStart; row < rowEnd; row++)
        {
            for (var column = columnStart; column < columnEnd; column++)
            {
                var referencePixel = (row * size) + column;
                var neighbourPixel = ((row + offset.Rows) * size) + column + offset.Columns;
                var referenceFirst = (referencePixel * window) + predictedStart[referencePixel];
                var referenceEnd = referenceFirst + predictedLength[referencePixel];
                var neighbourFirst = (neighbourPixel * window) + predictedStart[neighbourPixel];
                var neighbourEnd = neighbourFirst + predictedLength[neighbourPixel];
                for (var a = referenceFirst; a < referenceEnd; a++)
                {
                    var value = predicted[a];
                    var rowKey = predictedBins[a] * bins;
                    for (var b = neighbourFirst; b < neighbourEnd; b++)
                    {
                        var key = rowKey + predictedBins[b];
                        var slot = table[key];
                        if (slot < 0)
                        {
                            slot = used++;
                            table[key] = slot;
                            keys[slot] = key;
                        }

                        productSlots[products++] = slot;
                        predictedCounts[slot] += value * predicted[b];
                    }
                }

                referenceFirst = (referencePixel * window) + targetStart[referencePixel];
                referenceEnd = referenceFirst + targetLength[referencePixel];
                neighbourFirst = (neighbourPixel * window) + targetStart[neighbourPixel];
                neighbourEnd = neighbourFirst + targetLength[neighbourPixel];
                for (var a = referenceFirst; a < referenceEnd; a++)
                {
                    var value = target[a];
                    var rowKey = targetBins[a] * bins;
                    for (var b = neighbourFirst; b < neighbourEnd; b++)
                    {
                        var key = rowKey + targetBins[b];
                        var slot = table[key];
                        if (slot < 0)
                        {
                            slot = used++;
                            table[key] = slot;
                            keys[slot] = key;
                        }

                        targetCounts[slot] += value * target[b];
                    }
                }
            }
        }

        var count = used;
        scratch.Count = used;
        double predictedSum = 0, targetSum = 0;
        for (var e = 0; e < count; e++)
        {
            predictedSum += scratch.Predicted[e];
            targetSum += scratch.Target[e];
        }

        var entries = (double)bins * bins;
        double squares = 0, weightedSquares = 0;
        for (var e = 0; e < count; e++)
        {
            var g = scratch.Predicted[e];
            var h = scratch.Target[e];
            var f = scale ? g * (predictedSum - g) / predictedSum : g;
            var t = scale ? h * (targetSum - h) / targetSum : h;
            var difference = f - t;
            squares += difference * difference;
            // d(mean over offsets of this patch's loss)/d f_e.
            var c = 2 * difference / (entries * offsetCount);
            scratch.Slope[e] = c;
            weightedSquares += c * g * g;
        }

        if (scale)
        {
            // f_e = g_e - g_e^2 / S with S = sum of all g: every entry also depends on S.
            var shared = weightedSquares / (predictedSum * predictedSum);
            for (var e = 0; e < count; e++)
            {
                scratch.Slope[e] = (scratch.Slope[e] * (1 - (2 * scratch.Predicted[e] / predictedSum))) + shared;
            }
        }

        // Pass 2: chain rule through G = sum over pairs of outer(m_ref, m_nb), in pass 1's product order.
        products = 0;
        for (var row = rowStart; row < rowEnd; row++)
        {
            for (var column = columnStart; column < columnEnd; column++)
            {
                var referencePixel = (row * size) + column;
                var neighbourPixel = ((row + offset.Rows) * size) + column + offset.Columns;
                var referenceFirst = (referencePixel * window) + predictedStart[referencePixel];
                var referenceEnd = referenceFirst + predictedLength[referencePixel];
                var neighbourFirst = (neighbourPixel * window) + predictedStart[neighbourPixel];
                var neighbourEnd = neighbourFirst + predictedLength[neighbourPixel];
                for (var a = referenceFirst; a < referenceEnd; a++)
                {
                    var value = predicted[a];
                    double referenceGradient = 0;
                    for (var b = neighbourFirst; b < neighbourEnd; b++)
                    {
                        var slope = slopes[productSlots[products++]];
                        referenceGradient += slope * predicted[b];
                        gradient[b] += slope * value;
                    }

                    gradient[a] += referenceGradient;
                }
            }
        }

        scratch.Reset();
        return squares / entries;
    }

    /// <summary>Per-thread working memory: a K x K slot table and per-slot accumulators.</summary>
    private sealed class Scratch
    {

        // Parallel.For may start a fresh task replica (and call localInit) many times per loop; the slot table is
        // 256 KiB, so scratches are pooled instead of allocated on the large-object heap each time.
        private static readonly System.Collections.Concurrent.ConcurrentBag<Scratch> Pool = [];

        private Scratch(int bins, int capacity, int perPixelValues)
        {
            PredictedMemberships = new double[perPixelValues];
            PredictedBins = new int[perPixelValues];
            PredictedSlopes = new double[perPixelValues];
            TargetMemberships = new double[perPixelValues];
            TargetBins = new int[perPixelValues];
            MembershipGradient = new double[perPixelValues];
            // One run per pixel; sized by values per pixel so any window fits.
            PredictedStart = new int[perPixelValues];
            PredictedLength = new int[perPixelValues];
            TargetStart = new int[perPixelValues];
            TargetLength = new int[perPixelValues];
            ProductSlots = new int[capacity];
            Table = new int[bins * bins];
            Array.Fill(Table, -1);
            Keys = new int[capacity];
            Predicted = new double[capacity];
            Target = new double[capacity];
            Slope = new double[capacity];
        }

        public int Count { get; set; }

        private int Bins { get; init; }

        private int Capacity { get; init; }

        private int PerPixelValues { get; init; }

        public static Scratch Rent(int bins, int capacity, int perPixelValues)
        {
            while (Pool.TryTake(out var scratch))
            {
                if (scratch.Bins == bins && scratch.Capacity >= capacity && scratch.PerPixelValues >= perPixelValues)
                {
                    return scratch;
                }
            }

            return new Scratch(bins, capacity, perPixelValues) { Bins = bins, Capacity = capacity, PerPixelValues = perPixelValues };
        }

        public static void Return(Scratch scratch) => Pool.Add(scratch);

        public int[] Table { get; }

        public int[] Keys { get; }

        public double[] PredictedMemberships { get; }

        public int[] PredictedBins { get; }

        public double[] PredictedSlopes { get; }

        public double[] TargetMemberships { get; }

        public int[] TargetBins { get; }

        public double[] MembershipGradient { get; }

        public int[] PredictedStart { get; }

        public int[] PredictedLength { get; }

        public int[] TargetStart { get; }

        public int[] TargetLength { get; }

        public int[] ProductSlots { get; }

        public double[] Predicted { get; }

        public double[] Target { get; }

        public double[] Slope { get; }

        public void Reset()
        {
            for (var e = 0; e < Count; e++)
            {
                Table[Keys[e]] = -1;
            }

            Array.Clear(Predicted, 0, Count);
            Array.Clear(Target, 0, Count);

            Count = 0;
        }
    }

    /// <summary>Soft memberships of one value in the 2R + 1 bins around its own, and their derivatives.</summary>
    private sealed class Binning(int bins, DataRange range, double sharpness, int reach, double tolerance)
    {
        // Beyond this many sigmoid widths a sigmoid is 0 or 1 in double precision for our purposes (s(-40) = 4e-18).
        private const double Saturation = 40;
        private readonly double _width = range.Width / bins;
        private readonly double _inverseSigma = sharpness * bins / range.Width;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Memberships(float value, Span<double> memberships, Span<int> binIndices, Span<double> slopes)
        {
            var x = (double)value;
            var own = (int)Math.Clamp(Math.Floor((x - range.Min) / _width), 0, bins - 1);
            memberships.Clear();
            if (!slopes.IsEmpty)
            {
                slopes.Clear();
            }

            for (var a = 0; a < memberships.Length; a++)
            {
                binIndices[a] = Math.Clamp(own - reach + a, 0, bins - 1);
            }

            Add(x, own, memberships, slopes, 1);
            var fromMin = (x - range.Min) * _inverseSigma;
            if (fromMin < Saturation + (_inverseSigma * _width * (reach + 1)))
            {
                Add((2 * range.Min) - x, own, memberships, slopes, -1);
            }

            var fromMax = (range.Max - x) * _inverseSigma;
            if (fromMax < Saturation + (_inverseSigma * _width * (reach + 1)))
            {
                Add((2 * range.Max) - x, own, memberships, slopes, -1);
            }

            // The same truncation as the window's reach: bins below the tolerance carry no mass and no gradient.
            for (var a = 0; a < memberships.Length; a++)
            {
                if (memberships[a] < tolerance)
                {
                    memberships[a] = 0;
                    if (!slopes.IsEmpty)
                    {
                        slopes[a] = 0;
                    }
                }
            }
        }

        // Adds W(u - c_k) for the window's bins, from the sigmoids at the 2R + 2 bin edges (bin k spans edges k and k + 1).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Add(double u, int own, Span<double> memberships, Span<double> slopes, double sign)
        {
            var firstBin = own - reach;
            var lower = Sigmoid((u - Edge(firstBin)) * _inverseSigma, out var lowerSlope);
            for (var a = 0; a < memberships.Length; a++)
            {
                var upper = Sigmoid((u - Edge(firstBin + a + 1)) * _inverseSigma, out var upperSlope);
                var bin = firstBin + a;
                if (bin >= 0 && bin < bins)
                {
                    memberships[a] += lower - upper;
                    if (!slopes.IsEmpty)
                    {
                        slopes[a] += sign * (lowerSlope - upperSlope) * _inverseSigma;
                    }
                }

                lower = upper;
                lowerSlope = upperSlope;
            }
        }

        private double Edge(int index) => range.Min + (index * _width);

        private static double Sigmoid(double z, out double slope)
        {
            if (z > Saturation)
            {
                slope = 0;
                return 1;
            }

            if (z < -Saturation)
            {
                slope = 0;
                return 0;
            }

            var s = 1 / (1 + Math.Exp(-z));
            slope = s * (1 - s);
            return s;
        }
    }
}
