using GlcmMae.Shared.Preprocessing;

namespace GlcmMae.Shared.Tests.Preprocessing;

public sealed class QuantilesTests
{
    /// <summary>numpy.quantile's default: sort, then interpolate linearly between the closest ranks.</summary>
    private static double SortedQuantile(float[] values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }

    public static TheoryData<string, float[]> Samples()
    {
        var random = new Random(7);
        return new TheoryData<string, float[]>
        {
            { "one value", [3f] },
            { "two values", [5f, -1f] },
            { "all equal", Enumerable.Repeat(2.5f, 1000).ToArray() },
            { "ascending", Enumerable.Range(0, 1001).Select(i => (float)i).ToArray() },
            { "descending", Enumerable.Range(0, 1001).Select(i => (float)-i).ToArray() },
            { "8-bit pixels", Enumerable.Range(0, 100_000).Select(_ => (float)random.Next(256)).ToArray() },
            { "a few 16-bit pixels (one histogram)", Enumerable.Range(0, 301).Select(_ => (float)random.Next(65536)).ToArray() },
            { "CT numbers", Enumerable.Range(0, 20_001).Select(_ => (float)random.Next(-1024, 3072)).ToArray() },
            { "integers too far apart to count", Enumerable.Range(0, 3001).Select(_ => (float)random.Next(-10_000_000, 10_000_000)).ToArray() },
            { "continuous", Enumerable.Range(0, 4097).Select(_ => (float)((random.NextDouble() * 2000) - 1000)).ToArray() },
            { "8-bit pixels, length off the vector and histogram strides", Enumerable.Range(0, 1027).Select(_ => (float)random.Next(256)).ToArray() },
            // One fraction among integers rules out the histogram wherever it sits: here it is the maximum, which a
            // histogram would truncate to 1000.
            { "integers and a fraction early", Enumerable.Range(0, 35).Select(i => i == 3 ? 1000.5f : i).ToArray() },
            { "integers and a fraction last", Enumerable.Range(0, 35).Select(i => i == 34 ? 1000.5f : i).ToArray() },
            { "two levels and an outlier", Enumerable.Range(0, 999).Select(i => i % 2 == 0 ? 10f : 20f).Append(1e6f).ToArray() },
        };
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Pairs_equal_numpy_quantiles_of_the_sorted_sample(string sample, float[] values)
    {
        foreach (var (low, high) in new[] { (0.0, 1.0), (0.005, 0.995), (0.25, 0.75), (0.5, 0.5), (0.013, 0.013), (0.999, 1.0) })
        {
            var (lowValue, highValue) = Quantiles.Pair(values, low, high);

            Assert.True(SortedQuantile(values, low) == lowValue, $"{sample}: q={low} gave {lowValue}, sorting gives {SortedQuantile(values, low)}");
            Assert.True(SortedQuantile(values, high) == highValue, $"{sample}: q={high} gave {highValue}, sorting gives {SortedQuantile(values, high)}");
        }
    }

    [Fact]
    public void Select_places_the_kth_smallest_with_nothing_larger_before_and_nothing_smaller_after()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 5000).Select(_ => (float)random.Next(40)).ToArray();
        var sorted = values.Order().ToArray();
        foreach (var k in new[] { 0, 1, 2499, 4998, 4999 })
        {
            var work = values.ToArray();

            var selected = Quantiles.Select(work, k);

            Assert.Equal(sorted[k], selected);
            Assert.Equal(selected, work[k]);
            Assert.All(work[..k], v => Assert.True(v <= selected));
            Assert.All(work[(k + 1)..], v => Assert.True(v >= selected));
            Assert.Equal(sorted, work.Order().ToArray());
        }
    }

    [Fact]
    public void The_input_is_left_as_it_was()
    {
        float[] values = [9f, 1f, 5f, 3f];

        Quantiles.Pair(values, 0.1, 0.9);

        Assert.Equal([9f, 1f, 5f, 3f], values);
    }

    [Fact]
    public void Empty_samples_and_reversed_quantiles_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Quantiles.Pair([], 0.1, 0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.Pair([1f, 2f], 0.9, 0.1));
    }
}
