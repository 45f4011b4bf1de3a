using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GlcmMae.Shared.Preprocessing;

/// <summary>Quantiles of an unsorted sample by selection instead of a full sort, with numpy's default linear interpolation.</summary>
/// <remarks>
/// The percentile window needs two quantiles of every scan's pixels in training and serving alike, so they must cost
/// O(n), not a sort (docs/imaging.md, "Measurements behind the decoders"). Stored pixels are mostly integers of 8 to 16 bits, whose order statistics a
/// histogram gives in two passes; other samples go through selection, which is O(n) as well.
/// </remarks>
internal static class Quantiles
{
    // Widest integer range counted in a histogram (16-bit pixels); wider or fractional samples are selected instead.
    private const int HistogramRange = 1 << 16;

    /// <summary>The <paramref name="low"/> and <paramref name="high"/> quantiles (fractions in [0, 1], low at most high) of <paramref name="values"/>.</summary>
    public static (double Low, double High) Pair(ReadOnlySpan<float> values, double low, double high)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("Quantiles of an empty sample are undefined.", nameof(values));
        }

        if (!(low >= 0 && low <= high && high <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(low), "Quantiles must satisfy 0 <= low <= high <= 1.");
        }

        if (IntegerRange(values) is var (min, max) && max - min < HistogramRange)
        {
            return FromHistogram(values, min, max, low, high);
        }

        var buffer = ArrayPool<float>.Shared.Rent(values.Length);
        try
        {
            var work = buffer.AsSpan(0, values.Length);
            values.CopyTo(work);
            // Selecting the low quantile partitions the sample around it, so the high one is selected from the rest.
            var lowValue = Quantile(work, 0, low);
            var (lowIndex, _) = Ranks(work.Length, low);
            return (lowValue, Quantile(work, lowIndex, high));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>The q-quantile of <paramref name="work"/>, whose first <paramref name="sortedPrefix"/> elements are already the smallest, in any order.</summary>
    private static double Quantile(Span<float> work, int sortedPrefix, double q)
    {
        var (lower, fraction) = Ranks(work.Length, q);
        var below = Select(work[sortedPrefix..], lower - sortedPrefix);
        if (fraction == 0 || lower + 1 >= work.Length)
        {
            return below;
        }

        // After selection everything right of the lower rank is at least as large: the next rank is their minimum.
        var above = float.PositiveInfinity;
        foreach (var value in work[(lower + 1)..])
        {
            above = MathF.Min(above, value);
        }

        return below + ((above - below) * fraction);
    }

    /// <summary>The smallest and largest value when every value is an integer within int range; null otherwise.</summary>
    private static (int Min, int Max)? IntegerRange(ReadOnlySpan<float> values)
    {
        if (!AllIntegers(values))
        {
            return null;
        }

        var (min, max) = Windowing.Range(values);
        return ((int)min, (int)max);
    }

    /// <summary>True when every value is an integer within half the int range (false for NaN and infinities).</summary>
    private static bool AllIntegers(ReadOnlySpan<float> values)
    {
        const float Lowest = int.MinValue / 2;
        const float Highest = int.MaxValue / 2;
        ref var start = ref MemoryMarshal.GetReference(values);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<float>.Count;
            var (lowest, highest) = (new Vector<float>(Lowest), new Vector<float>(Highest));
            for (; i <= values.Length - lanes; i += lanes)
            {
                var v = Vector.LoadUnsafe(ref start, (nuint)i);
                // Comparisons with NaN are false, so NaN fails both tests, as in the scalar loop below.
                if (!Vector.EqualsAll(Vector.Floor(v), v) || !Vector.GreaterThanOrEqualAll(v, lowest) || !Vector.LessThanOrEqualAll(v, highest))
                {
                    return false;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            var value = Unsafe.Add(ref start, i);
            if (!(MathF.Floor(value) == value && value is >= Lowest and <= Highest))
            {
                return false;
            }
        }

        return true;
    }

    private static (double Low, double High) FromHistogram(ReadOnlySpan<float> values, int min, int max, double low, double high)
    {
        // Four interleaved histograms: neighbouring pixels often share a value, and one histogram would make each
        // increment wait for the previous one to the same bin to be stored. Clearing and merging them costs four
        // passes over the bins, so a sample with fewer values than that (a small scan of 16-bit pixels) counts into one.
        const int Interleaved = 4;
        var bins = max - min + 1;
        var ways = values.Length >= Interleaved * bins ? Interleaved : 1;
        var counts = ArrayPool<int>.Shared.Rent(ways * bins);
        try
        {
            var tables = counts.AsSpan(0, ways * bins);
            tables.Clear();
            ref var first = ref MemoryMarshal.GetReference(tables);
            ref var start = ref MemoryMarshal.GetReference(values);
            var i = 0;
            if (ways == Interleaved)
            {
                for (; i <= values.Length - Interleaved; i += Interleaved)
                {
                    Unsafe.Add(ref first, (int)Unsafe.Add(ref start, i) - min)++;
                    Unsafe.Add(ref first, bins + (int)Unsafe.Add(ref start, i + 1) - min)++;
                    Unsafe.Add(ref first, (2 * bins) + (int)Unsafe.Add(ref start, i + 2) - min)++;
                    Unsafe.Add(ref first, (3 * bins) + (int)Unsafe.Add(ref start, i + 3) - min)++;
                }
            }

            for (; i < values.Length; i++)
            {
                Unsafe.Add(ref first, (int)Unsafe.Add(ref start, i) - min)++;
            }

            var histogram = tables[..bins];
            for (var way = 1; way < ways; way++)
            {
                var other = tables.Slice(way * bins, bins);
                for (var bin = 0; bin < bins; bin++)
                {
                    histogram[bin] += other[bin];
                }
            }

            return (Interpolate(histogram, min, values.Length, low), Interpolate(histogram, min, values.Length, high));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    private static double Interpolate(ReadOnlySpan<int> histogram, int min, int count, double q)
    {
        var (lower, fraction) = Ranks(count, q);
        var below = ValueAtRank(histogram, min, lower);
        return fraction == 0 || lower + 1 >= count ? below : below + ((ValueAtRank(histogram, min, lower + 1) - below) * fraction);
    }

    /// <summary>The value of rank <paramref name="rank"/> (0 = smallest) in the sample the histogram counts.</summary>
    private static float ValueAtRank(ReadOnlySpan<int> histogram, int min, int rank)
    {
        var seen = 0;
        for (var bin = 0; bin < histogram.Length; bin++)
        {
            seen += histogram[bin];
            if (seen > rank)
            {
                return min + bin;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(rank), "The rank exceeds the sample size.");
    }

    private static (int Lower, double Fraction) Ranks(int count, double q)
    {
        var position = q * (count - 1);
        var lower = (int)Math.Floor(position);
        return (lower, position - lower);
    }

    /// <summary>Reorders <paramref name="span"/> so that its k-th smallest element sits at k with nothing larger before it and nothing smaller after it; returns that element.</summary>
    /// <remarks>Quickselect with three-way partitions (images repeat values a lot); past a depth bound it sorts what is left, so the worst case stays O(n log n).</remarks>
    internal static float Select(Span<float> span, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, span.Length);
        var lo = 0;
        var hi = span.Length - 1;
        var budget = (2 * BitOperations.Log2((uint)span.Length)) + 8;
        while (lo < hi)
        {
            if (budget-- == 0)
            {
                span[lo..(hi + 1)].Sort();
                return span[k];
            }

            var pivot = MedianOfThree(span[lo], span[lo + ((hi - lo) / 2)], span[hi]);
            var (lessEnd, greaterStart) = Partition(span, lo, hi, pivot);
            if (k < lessEnd)
            {
                hi = lessEnd - 1;
            }
            else if (k >= greaterStart)
            {
                lo = greaterStart;
            }
            else
            {
                return pivot;
            }
        }

        return span[k];
    }

    /// <summary>Dijkstra's three-way partition of [lo, hi]: less than the pivot before lessEnd, greater from greaterStart on, equal between.</summary>
    private static (int LessEnd, int GreaterStart) Partition(Span<float> span, int lo, int hi, float pivot)
    {
        var less = lo;
        var i = lo;
        var greater = hi;
        while (i <= greater)
        {
            var value = span[i];
            if (value < pivot)
            {
                (span[less], span[i]) = (span[i], span[less]);
                less++;
                i++;
            }
            else if (value > pivot)
            {
                (span[i], span[greater]) = (span[greater], span[i]);
                greater--;
            }
            else
            {
                i++;
            }
        }

        return (less, greater + 1);
    }

    private static float MedianOfThree(float a, float b, float c) => MathF.Max(MathF.Min(a, b), MathF.Min(MathF.Max(a, b), c));
}
