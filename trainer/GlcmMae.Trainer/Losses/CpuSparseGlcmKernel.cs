using System.Collections.Concurrent;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using GlcmMae.Shared.Texture;

namespace GlcmMae.Trainer.Losses;

/// <summary>The sparse GLCM loss and its gradient with respect to the predicted pixels, for tensors on the CPU.</summary>
/// <remarks>
/// On a CPU the general sparse form spends most of its time sorting millions of (patch, offset, i, j) keys. Here one
/// thread handles a patch with a K x K table of slot numbers over the bins the patch uses: an entry's first product
/// takes the next slot, so coalescing is a lookup, and the counts (prediction and target interleaved) and then
/// d(loss)/d(entry) sit densely in slot order, where the per-entry arithmetic and the reset run sequentially. The
/// table holds 4-byte slots rather than the counts themselves, which keeps what the kernel leaves in the caches small
/// for the libtorch backward pass that follows. Accumulation is in double precision. Memberships come from bin-edge sigmoids (adjacent bins share an edge, so 2R + 2 per pixel),
/// computed for a whole patch with SIMD, with reflections added only for pixels near the ends of the range; their
/// derivatives make the result d(loss)/d(pixel), so autograd only has to carry it through the clamp.
/// </remarks>
internal static class CpuSparseGlcmKernel
{
    /// <summary>Largest bin count the kernel accepts: its per-thread table holds K^2 slot numbers (4 MiB at 1024).</summary>
    public const int MaxBins = 1024;

    /// <summary>Per-patch loss (mean over offsets and K x K entries); fills d(loss of its patch)/d(predicted pixel).</summary>
    /// <param name="predicted">Predicted pixels (patches, P, P), already clamped to the range (the array may be longer).</param>
    /// <param name="target">Target pixels, same shape, clamped likewise.</param>
    /// <param name="gradient">Receives the gradient, same shape as the pixels.</param>
    /// <param name="threads">Most threads to use (-1: as many as the thread pool gives); training passes libtorch's count.</param>
    public static float[] Evaluate(
        float[] predicted, float[] target, float[] gradient, int patches, int size, GlcmLossOptions options, DataRange range, int reach, int threads = -1)
    {
        if (options.Bins > MaxBins)
        {
            throw new ArgumentException($"The CPU GLCM kernel supports at most {MaxBins} bins, not {options.Bins}; use the tensor form.");
        }

        var perPatch = new float[patches];
        var layout = new Layout(options.Bins, size, reach, options.Offsets);
        var binning = new Binning(options.Bins, range, options.Sharpness, reach, options.Tolerance);
        Parallel.For(
            0,
            patches,
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => Scratch.Rent(layout),
            (patch, _, scratch) =>
            {
                var pixels = layout.Pixels;
                var first = patch * pixels;
                binning.Memberships(predicted.AsSpan(first, pixels), scratch.Predicted, scratch);
                binning.Memberships(target.AsSpan(first, pixels), scratch.Target, scratch);
                Array.Clear(scratch.MembershipGradient);
                // Keys index a table over the bins this patch uses rather than all K: a smaller, cache-resident block.
                var stride = Rebase(scratch.Predicted, scratch.Target, pixels);
                double total = 0;
                foreach (var offset in options.Offsets)
                {
                    total += EvaluateOffset(offset, scratch, size, stride, options.Bins, options.Scale, options.Offsets.Count);
                }

                // d(loss)/d(pixel) = sum over its window of d(loss)/d(membership) * d(membership)/d(pixel).
                var sum = scratch.PixelGradient.AsSpan(0, pixels);
                sum.Clear();
                for (var a = 0; a < layout.Window; a++)
                {
                    TensorPrimitives.FusedMultiplyAdd(
                        scratch.MembershipGradient.AsSpan(a * pixels, pixels), scratch.Predicted.Slopes.AsSpan(a * pixels, pixels), sum, sum);
                }

                TensorPrimitives.ConvertTruncating<double, float>(sum, gradient.AsSpan(first, pixels));
                perPatch[patch] = (float)(total / options.Offsets.Count);
                return scratch;
            },
            Scratch.Return);
        return perPatch;
    }

    /// <summary>Bytes of working memory one call keeps (pooled between calls): per-thread scratch plus pixel and gradient buffers.</summary>
    public static long WorkingSetBytes(int patches, int size, GlcmLossOptions options, int reach, int threads)
    {
        var layout = new Layout(options.Bins, size, reach, options.Offsets);
        return (threads * layout.ScratchBytes) + (3L * patches * size * size * sizeof(float)) + (patches * sizeof(float));
    }

    // Makes every run's first bin relative to the lowest bin any pixel of the patch uses; returns the span of bins used.
    private static int Rebase(PixelMemberships predicted, PixelMemberships target, int pixels)
    {
        var low = Math.Min(TensorPrimitives.Min<int>(predicted.Bin.AsSpan(0, pixels)), TensorPrimitives.Min<int>(target.Bin.AsSpan(0, pixels)));
        var high = 0;
        foreach (var m in (ReadOnlySpan<PixelMemberships>)[predicted, target])
        {
            for (var p = 0; p < pixels; p++)
            {
                m.Bin[p] -= low;
                high = Math.Max(high, m.Bin[p] + m.Length[p]);
            }
        }

        return high;
    }

    // One offset's loss of the current patch; adds its gradient to the membership gradient.
    private static double EvaluateOffset(GlcmOffset offset, Scratch scratch, int size, int stride, int bins, bool scale, int offsetCount)
    {
        var pairs = new Pairs(offset, size);
        // An entry with slot s has its predicted count at Counts[2s] and its target count at Counts[2s + 1]; after
        // Differences the predicted place holds d(loss)/d(entry), less a part shared by all entries.
        var (used, predictedSum, targetSum) = Count(pairs, scratch, stride);
        var entries = (double)bins * bins;
        var (squares, shared) = Differences(scratch, used, predictedSum, targetSum, scale, 2 / (entries * offsetCount));
        Backward(pairs, scratch, stride, shared);
        ref var table = ref MemoryMarshal.GetArrayDataReference(scratch.Table);
        for (var e = 0; e < used; e++)
        {
            Unsafe.Add(ref table, scratch.Keys[e]) = -1;
        }

        Array.Clear(scratch.Counts, 0, 2 * used);
        return squares / entries;
    }

    // Pass 1: soft counts of prediction and target. A pair's products sum to the product of its two membership sums,
    // which gives S = sum of all entries without a pass over them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int Used, double PredictedSum, double TargetSum) Count(Pairs pairs, Scratch scratch, int stride)
    {
        var predicted = scratch.Predicted;
        var target = scratch.Target;
        var used = 0;
        double predictedSum = 0, targetSum = 0;
        for (var row = pairs.RowStart; row < pairs.RowEnd; row++)
        {
            for (var column = pairs.ColumnStart; column < pairs.ColumnEnd; column++)
            {
                var reference = (row * pairs.Size) + column;
                var neighbour = reference + pairs.Step;
                used = Accumulate(predicted, reference, neighbour, stride, scratch, 0, used);
                used = Accumulate(target, reference, neighbour, stride, scratch, 1, used);
                predictedSum += predicted.Sum[reference] * predicted.Sum[neighbour];
                targetSum += target.Sum[reference] * target.Sum[neighbour];
            }
        }

        return (used, predictedSum, targetSum);
    }

    // The squared differences of f(G) and f(H) over the touched entries, and d(loss)/d(entry) in place of the
    // predicted counts.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Squares, double Shared) Differences(Scratch scratch, int used, double predictedSum, double targetSum, bool scale, double norm)
    {
        var counts = scratch.Counts.AsSpan(0, 2 * used);
        // f(G) = G (S - G) / S = G - G^2 / S; without the scale transform f is the identity.
        var inversePredicted = scale ? 1 / predictedSum : 0;
        var inverseTarget = scale ? 1 / targetSum : 0;
        double squares = 0, weightedSquares = 0;
        for (var e = 0; e < counts.Length; e += 2)
        {
            var g = counts[e];
            var h = counts[e + 1];
            var difference = (g - (g * g * inversePredicted)) - (h - (h * h * inverseTarget));
            squares += difference * difference;
            // d(mean over offsets of this patch's loss)/d f_e, times d f_e/d g_e; every f also depends on S (below).
            var c = norm * difference;
            counts[e] = c * (1 - (2 * g * inversePredicted));
            weightedSquares += c * g * g;
        }

        // d f_e/d g_d also has g_e^2 / S^2 for every d: one constant added to every entry's slope.
        return (squares, weightedSquares * inversePredicted * inversePredicted);
    }

    // Pass 2: chain rule through G = sum over pairs of outer(m_ref, m_nb), in the order and blocks of pass 1.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Backward(Pairs pairs, Scratch scratch, int stride, double shared)
    {
        var predicted = scratch.Predicted;
        var pixels = predicted.Pixels;
        ref var table = ref MemoryMarshal.GetArrayDataReference(scratch.Table);
        ref var slopes = ref MemoryMarshal.GetArrayDataReference(scratch.Counts);
        ref var values = ref MemoryMarshal.GetArrayDataReference(predicted.Values);
        ref var gradient = ref MemoryMarshal.GetArrayDataReference(scratch.MembershipGradient);
        for (var row = pairs.RowStart; row < pairs.RowEnd; row++)
        {
            for (var column = pairs.ColumnStart; column < pairs.ColumnEnd; column++)
            {
                var reference = (row * pairs.Size) + column;
                var neighbour = reference + pairs.Step;
                var (referenceFirst, referenceLength, neighbourFirst, neighbourLength, rowKey) = Block.Of(predicted, reference, neighbour, stride);
                if ((referenceLength | neighbourLength) <= 2)
                {
                    var r0 = Unsafe.Add(ref values, referenceFirst);
                    var r1 = Unsafe.Add(ref values, referenceFirst + pixels);
                    var n0 = Unsafe.Add(ref values, neighbourFirst);
                    var n1 = Unsafe.Add(ref values, neighbourFirst + pixels);
                    var s00 = Unsafe.Add(ref slopes, 2 * Unsafe.Add(ref table, rowKey)) + shared;
                    var s01 = Unsafe.Add(ref slopes, 2 * Unsafe.Add(ref table, rowKey + 1)) + shared;
                    var s10 = Unsafe.Add(ref slopes, 2 * Unsafe.Add(ref table, rowKey + stride)) + shared;
                    var s11 = Unsafe.Add(ref slopes, 2 * Unsafe.Add(ref table, rowKey + stride + 1)) + shared;
                    Unsafe.Add(ref gradient, referenceFirst) += (s00 * n0) + (s01 * n1);
                    Unsafe.Add(ref gradient, referenceFirst + pixels) += (s10 * n0) + (s11 * n1);
                    Unsafe.Add(ref gradient, neighbourFirst) += (s00 * r0) + (s10 * r1);
                    Unsafe.Add(ref gradient, neighbourFirst + pixels) += (s01 * r0) + (s11 * r1);
                    continue;
                }

                for (var a = 0; a < referenceLength; a++, rowKey += stride)
                {
                    var value = Unsafe.Add(ref values, referenceFirst + (a * pixels));
                    double referenceGradient = 0;
                    for (var b = 0; b < neighbourLength; b++)
                    {
                        var slope = Unsafe.Add(ref slopes, 2 * Unsafe.Add(ref table, rowKey + b)) + shared;
                        var at = neighbourFirst + (b * pixels);
                        referenceGradient += slope * Unsafe.Add(ref values, at);
                        Unsafe.Add(ref gradient, at) += slope * value;
                    }

                    Unsafe.Add(ref gradient, referenceFirst + (a * pixels)) += referenceGradient;
                }
            }
        }
    }

    // Adds outer(m_reference, m_neighbour) to one side of the table (0 predicted, 1 target), recording new entries.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Accumulate(PixelMemberships m, int reference, int neighbour, int stride, Scratch scratch, int side, int used)
    {
        var pixels = m.Pixels;
        ref var values = ref MemoryMarshal.GetArrayDataReference(m.Values);
        ref var slots = ref MemoryMarshal.GetArrayDataReference(scratch.Table);
        ref var counts = ref MemoryMarshal.GetArrayDataReference(scratch.Counts);
        ref var list = ref MemoryMarshal.GetArrayDataReference(scratch.Keys);
        var (referenceFirst, referenceLength, neighbourFirst, neighbourLength, rowKey) = Block.Of(m, reference, neighbour, stride);
        if ((referenceLength | neighbourLength) <= 2)
        {
            // Most runs have two memberships (the own bin and the nearer neighbour): a fixed 2 x 2 block without
            // data-dependent loop exits, whose mispredictions would otherwise cost more than the arithmetic.
            var r0 = Unsafe.Add(ref values, referenceFirst);
            var r1 = Unsafe.Add(ref values, referenceFirst + pixels);
            var n0 = Unsafe.Add(ref values, neighbourFirst);
            var n1 = Unsafe.Add(ref values, neighbourFirst + pixels);
            used = Add(ref slots, ref counts, ref list, used, rowKey, side, r0 * n0);
            used = Add(ref slots, ref counts, ref list, used, rowKey + 1, side, r0 * n1);
            used = Add(ref slots, ref counts, ref list, used, rowKey + stride, side, r1 * n0);
            return Add(ref slots, ref counts, ref list, used, rowKey + stride + 1, side, r1 * n1);
        }

        for (var a = 0; a < referenceLength; a++, rowKey += stride)
        {
            var value = Unsafe.Add(ref values, referenceFirst + (a * pixels));
            for (var b = 0; b < neighbourLength; b++)
            {
                used = Add(ref slots, ref counts, ref list, used, rowKey + b, side, value * Unsafe.Add(ref values, neighbourFirst + (b * pixels)));
            }
        }

        return used;
    }

    // Adds a product to an entry, giving the entry the next slot if it has none. Branch-free: the key is always
    // written at the end of the slot list, which only grows when the entry is new.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Add(ref int slots, ref double counts, ref int list, int used, int key, int side, double product)
    {
        ref var slot = ref Unsafe.Add(ref slots, key);
        var isNew = slot < 0;
        var at = isNew ? used : slot;
        slot = at;
        Unsafe.Add(ref list, used) = key;
        Unsafe.Add(ref counts, (2 * at) + side) += product;
        return used + (isNew ? 1 : 0);
    }

    /// <summary>The pixel pairs of one offset in a P x P patch: references in [rows) x [columns), neighbour = reference + step.</summary>
    private readonly struct Pairs(GlcmOffset offset, int size)
    {
        public int Size { get; } = size;

        public int RowStart { get; } = Math.Max(0, -offset.Rows);

        public int RowEnd { get; } = size - Math.Max(0, offset.Rows);

        public int ColumnStart { get; } = Math.Max(0, -offset.Columns);

        public int ColumnEnd { get; } = size - Math.Max(0, offset.Columns);

        public int Step { get; } = (offset.Rows * size) + offset.Columns;
    }

    /// <summary>Where a pixel pair's block of products lives: each run's first value (window-major) and length, and the key of its first entry.</summary>
    private readonly record struct Block(int ReferenceFirst, int ReferenceLength, int NeighbourFirst, int NeighbourLength, int RowKey)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Block Of(PixelMemberships m, int reference, int neighbour, int stride) => new(
            (m.First[reference] * m.Pixels) + reference,
            m.Length[reference],
            (m.First[neighbour] * m.Pixels) + neighbour,
            m.Length[neighbour],
            (m.Bin[reference] * stride) + m.Bin[neighbour]);
    }

    /// <summary>Sizes shared by every patch of a call.</summary>
    private sealed record Layout
    {
        public Layout(int bins, int size, int reach, IReadOnlyList<GlcmOffset> offsets)
        {
            Bins = bins;
            Pixels = size * size;
            Window = (2 * reach) + 1;
            var maxPairs = offsets.Max(o => (size - Math.Abs(o.Rows)) * (size - Math.Abs(o.Columns)));
            // Distinct entries of one offset: at most every product of prediction and target, and never more than K^2;
            // one spare slot for the branch-free list append.
            KeyCapacity = (int)Math.Min((bins + 1L) * (bins + 1), 2L * maxPairs * Window * Window) + 1;
        }

        public int Bins { get; }

        public int Pixels { get; }

        public int Window { get; }

        public int KeyCapacity { get; }

        public long ScratchBytes =>
            ((Bins + 1L) * (Bins + 1) * sizeof(int))
            + (KeyCapacity * (sizeof(int) + (2L * sizeof(double))))
            + (Pixels * (Window + 1) * 3L * sizeof(double)) // edge arguments, sigmoids, derivatives
            + (Pixels * ((Window * 4L * sizeof(double)) + (3L * sizeof(double)) + (8L * sizeof(int)))); // memberships, slopes, sums, coordinates, runs, bins
    }

    /// <summary>Each pixel's memberships in its window (window-major: value a of pixel p at a * pixels + p) and its run of non-zero ones.</summary>
    private sealed class PixelMemberships(int pixels, int window, bool withSlopes)
    {
        public int Pixels { get; } = pixels;

        /// <summary>Window index of the run's first membership.</summary>
        public int[] First { get; } = new int[pixels];

        /// <summary>Bin of the run's first membership (relative to the patch's lowest bin after rebasing).</summary>
        public int[] Bin { get; } = new int[pixels];

        public int[] Length { get; } = new int[pixels];

        public double[] Values { get; } = new double[pixels * window];

        public double[] Slopes { get; } = withSlopes ? new double[pixels * window] : [];

        /// <summary>Sum of each pixel's memberships.</summary>
        public double[] Sum { get; } = new double[pixels];
    }

    /// <summary>Per-thread working memory, pooled: the tables are too large to allocate per call.</summary>
    private sealed class Scratch
    {
        // Parallel.For may start a fresh task replica (and call localInit) many times per loop.
        private static readonly ConcurrentBag<Scratch> Pool = [];

        private Scratch(Layout layout)
        {
            Layout = layout;
            // A run may end one bin past the range (a zero beside the last bin), so keys span K + 1 bins.
            Table = new int[(layout.Bins + 1) * (layout.Bins + 1)];
            Array.Fill(Table, -1);
            Counts = new double[2 * layout.KeyCapacity];
            Keys = new int[layout.KeyCapacity];
            Predicted = new PixelMemberships(layout.Pixels, layout.Window, withSlopes: true);
            Target = new PixelMemberships(layout.Pixels, layout.Window, withSlopes: false);
            var edgeValues = layout.Pixels * (layout.Window + 1);
            Arguments = new double[edgeValues];
            Sigmoids = new double[edgeValues];
            Derivatives = new double[edgeValues];
            MembershipGradient = new double[layout.Pixels * layout.Window];
            PixelGradient = new double[layout.Pixels];
            OwnBins = new int[layout.Pixels];
            Coordinates = new double[layout.Pixels];
            NearPixels = new int[layout.Pixels + 1];
        }

        /// <summary>Each pixel's bin coordinate (x - min) / width.</summary>
        public double[] Coordinates { get; }

        /// <summary>Each pixel's own bin.</summary>
        public int[] OwnBins { get; }

        /// <summary>Pixels near an end of the range (one spare slot for the branch-free append).</summary>
        public int[] NearPixels { get; }

        public Layout Layout { get; }

        /// <summary>Slot of each entry key, -1 when untouched.</summary>
        public int[] Table { get; }

        /// <summary>Predicted and target counts by slot, interleaved; then d(loss)/d(entry) in the predicted places.</summary>
        public double[] Counts { get; }

        /// <summary>Entry key of each slot.</summary>
        public int[] Keys { get; }

        public PixelMemberships Predicted { get; }

        public PixelMemberships Target { get; }

        /// <summary>Edge arguments of every pixel of a patch, edge-major.</summary>
        public double[] Arguments { get; }

        public double[] Sigmoids { get; }

        /// <summary>s (1 - s) of each edge sigmoid.</summary>
        public double[] Derivatives { get; }

        public double[] MembershipGradient { get; }

        public double[] PixelGradient { get; }

        public static Scratch Rent(Layout layout)
        {
            while (Pool.TryTake(out var scratch))
            {
                if (scratch.Layout == layout)
                {
                    return scratch;
                }
            }

            return new Scratch(layout);
        }

        public static void Return(Scratch scratch) => Pool.Add(scratch);
    }

    /// <summary>Soft memberships of values in the 2R + 1 bins around their own, and their derivatives.</summary>
    private sealed class Binning
    {
        // Beyond this many sigmoid widths a sigmoid is 0 or 1 in double precision for our purposes (s(-40) = 4e-18).
        private const double Saturation = 40;
        private readonly int _bins;
        private readonly DataRange _range;
        private readonly double _sharpness;
        private readonly int _reach;
        private readonly int _window;
        private readonly double _tolerance;
        private readonly double _width;
        private readonly double _inverseSigma;

        // Pixels whose own bin is below this (or at least K minus it) may have window bins outside the range or
        // reflected mass; a superset of those that do, which is harmless because the exact treatment adds only zeros.
        private readonly int _nearBins;

        // Clamped predictions sit exactly on an end of the range very often (an untrained decoder puts half its pixels
        // there), and those two values always have the same window: computed once.
        private readonly double[] _atMin;
        private readonly double[] _atMax;

        public Binning(int bins, DataRange range, double sharpness, int reach, double tolerance)
        {
            _bins = bins;
            _range = range;
            _sharpness = sharpness;
            _reach = reach;
            _window = (2 * reach) + 1;
            _tolerance = tolerance;
            _width = range.Width / bins;
            _inverseSigma = sharpness * bins / range.Width;
            _nearBins = (int)Math.Ceiling((Saturation / sharpness) + reach + 1);
            _atMin = Exact(range.Min);
            _atMax = Exact(range.Max);
        }

        /// <summary>Fills each pixel's memberships, their run and sum (and derivatives when the output keeps them).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Memberships(ReadOnlySpan<float> values, PixelMemberships output, Scratch scratch)
        {
            var n = values.Length;
            var window = _window;
            var edges = window + 1;
            var arguments = scratch.Arguments.AsSpan(0, n * edges);
            var sigmoids = scratch.Sigmoids.AsSpan(0, n * edges);
            var own = scratch.OwnBins.AsSpan(0, n);
            var near = scratch.NearPixels;
            var nearCount = 0;
            var withSlopes = output.Slopes.Length > 0;
            var memberships = output.Values.AsSpan(0, n * window);
            var slopes = withSlopes ? output.Slopes.AsSpan(0, n * window) : default;

            // Bin k spans edges k and k + 1; the window's edges are own - R .. own + R + 1, so the argument of edge e for
            // a pixel at bin coordinate u is L (u - own + R - e). Edge-major, so that each step below is one SIMD pass.
            // u = (x - min) / width, own = clamp(floor(u), 0, K - 1), argument = L (u - own + R), all in SIMD passes.
            var u = scratch.Coordinates.AsSpan(0, n);
            var bins = arguments[..n];
            TensorPrimitives.ConvertTruncating<float, double>(values, u);
            TensorPrimitives.Subtract(u, _range.Min, u);
            TensorPrimitives.Divide(u, _width, u);
            TensorPrimitives.Floor(u, bins);
            TensorPrimitives.Max(bins, 0d, bins);
            TensorPrimitives.Min(bins, _bins - 1d, bins);
            TensorPrimitives.ConvertTruncating<double, int>(bins, own);
            TensorPrimitives.Subtract(u, bins, bins);
            TensorPrimitives.Add(bins, (double)_reach, bins);
            TensorPrimitives.Multiply(bins, _sharpness, arguments[..n]);
            var high = _bins - _nearBins;
            for (var p = 0; p < n; p++)
            {
                near[nearCount] = p;
                nearCount += own[p] < _nearBins || own[p] >= high ? 1 : 0;
            }

            for (var e = 1; e < edges; e++)
            {
                TensorPrimitives.Subtract(arguments[..n], _sharpness * e, arguments.Slice(e * n, n));
            }

            TensorPrimitives.Sigmoid(arguments, sigmoids);
            for (var a = 0; a < window; a++)
            {
                TensorPrimitives.Subtract(sigmoids.Slice(a * n, n), sigmoids.Slice((a + 1) * n, n), memberships.Slice(a * n, n));
            }

            if (withSlopes)
            {
                var derivatives = scratch.Derivatives.AsSpan(0, n * edges);
                TensorPrimitives.Multiply(sigmoids, sigmoids, derivatives);
                TensorPrimitives.Subtract(sigmoids, derivatives, derivatives);
                for (var a = 0; a < window; a++)
                {
                    var slope = slopes.Slice(a * n, n);
                    TensorPrimitives.Subtract(derivatives.Slice(a * n, n), derivatives.Slice((a + 1) * n, n), slope);
                    TensorPrimitives.Multiply(slope, _inverseSigma, slope);
                }
            }

            for (var i = 0; i < nearCount; i++)
            {
                var p = near[i];
                var x = (double)values[p];
                var exact = x == _range.Min ? _atMin : x == _range.Max ? _atMax : null;
                if (exact is null)
                {
                    NearEnd(x, own[p] - _reach, memberships, slopes, p, n);
                    continue;
                }

                for (var a = 0; a < window; a++)
                {
                    memberships[(a * n) + p] = exact[a];
                    if (withSlopes)
                    {
                        slopes[(a * n) + p] = exact[window + a];
                    }
                }
            }

            // The same truncation as the window's reach: bins below the tolerance carry no mass and no gradient.
            var tolerance = new Vector<double>(_tolerance);
            for (var i = 0; i + Vector<double>.Count <= memberships.Length; i += Vector<double>.Count)
            {
                var keep = Vector.GreaterThanOrEqual(new Vector<double>(memberships[i..]), tolerance);
                Vector.ConditionalSelect(keep, new Vector<double>(memberships[i..]), Vector<double>.Zero).CopyTo(memberships[i..]);
                if (withSlopes)
                {
                    Vector.ConditionalSelect(keep, new Vector<double>(slopes[i..]), Vector<double>.Zero).CopyTo(slopes[i..]);
                }
            }

            for (var i = memberships.Length - (memberships.Length % Vector<double>.Count); i < memberships.Length; i++)
            {
                var keep = memberships[i] >= _tolerance;
                memberships[i] = keep ? memberships[i] : 0;
                if (withSlopes)
                {
                    slopes[i] = keep ? slopes[i] : 0;
                }
            }

            var sums = output.Sum.AsSpan(0, n);
            sums.Clear();
            for (var a = 0; a < window; a++)
            {
                TensorPrimitives.Add(sums, memberships.Slice(a * n, n), sums);
            }

            for (var p = 0; p < n; p++)
            {
                int start = window, end = 0;
                for (var a = 0; a < window; a++)
                {
                    var kept = memberships[(a * n) + p] != 0;
                    start = kept && a < start ? a : start;
                    end = kept ? a + 1 : end;
                }

                // Zeros in the run are harmless, so every run is made at least two long (the pair loops' fast case): an
                // empty run keeps the own bin, and a single membership takes the zero beside it within the window.
                if (start == window)
                {
                    (start, end) = (_reach, _reach + 1);
                }

                if (end - start == 1)
                {
                    (start, end) = start == window - 1 ? (start - 1, end) : (start, end + 1);
                }

                output.First[p] = start;
                output.Bin[p] = own[p] - _reach + start;
                output.Length[p] = end - start;
            }
        }

        // The window of a value exactly at an end of the range: memberships, then derivatives.
        private double[] Exact(double x)
        {
            var own = (int)Math.Clamp(Math.Floor((x - _range.Min) / _width), 0, _bins - 1);
            var memberships = new double[_window];
            var slopes = new double[_window];
            var lower = Sigmoid((x - Edge(own - _reach)) * _inverseSigma, out var lowerSlope);
            for (var a = 0; a < _window; a++)
            {
                var upper = Sigmoid((x - Edge(own - _reach + a + 1)) * _inverseSigma, out var upperSlope);
                memberships[a] = lower - upper;
                slopes[a] = (lowerSlope - upperSlope) * _inverseSigma;
                lower = upper;
                lowerSlope = upperSlope;
            }

            NearEnd(x, own - _reach, memberships, slopes, 0, 1);
            return [.. memberships, .. slopes];
        }

        // Zeroes bins outside the range and adds the reflections at both ends, W(u' - c_k) with u' = 2 end - x; a
        // reflected value moves against the pixel, so its derivative enters with the opposite sign. Window-major spans.
        private void NearEnd(double x, int firstBin, Span<double> memberships, Span<double> slopes, int p, int n)
        {
            var withSlopes = !slopes.IsEmpty;
            for (var a = 0; a < _window; a++)
            {
                if ((uint)(firstBin + a) >= (uint)_bins)
                {
                    memberships[(a * n) + p] = 0;
                    if (withSlopes)
                    {
                        slopes[(a * n) + p] = 0;
                    }
                }
            }

            foreach (var reflected in (ReadOnlySpan<double>)[(2 * _range.Min) - x, (2 * _range.Max) - x])
            {
                var lower = Sigmoid((reflected - Edge(firstBin)) * _inverseSigma, out var lowerSlope);
                for (var a = 0; a < _window; a++)
                {
                    var upper = Sigmoid((reflected - Edge(firstBin + a + 1)) * _inverseSigma, out var upperSlope);
                    if ((uint)(firstBin + a) < (uint)_bins)
                    {
                        memberships[(a * n) + p] += lower - upper;
                        if (withSlopes)
                        {
                            slopes[(a * n) + p] -= (lowerSlope - upperSlope) * _inverseSigma;
                        }
                    }

                    lower = upper;
                    lowerSlope = upperSlope;
                }
            }
        }

        private double Edge(int index) => _range.Min + (index * _width);

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
