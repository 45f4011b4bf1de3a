using GlcmMae.Shared.Safety;

namespace GlcmMae.Shared.Tests.Safety;

public sealed class TextureReferenceTests
{
    private const int Size = 48;

    /// <summary>Speckle-like images: a level with multiplicative noise, smoothed a little (as the training scans are).</summary>
    private static float[] Speckle(Random random)
    {
        var raw = Enumerable.Range(0, Size * Size).Select(_ => (float)(0.5 * (0.6 + (0.8 * random.NextDouble())))).ToArray();
        var image = new float[Size * Size];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var right = raw[(y * Size) + Math.Min(x + 1, Size - 1)];
                var below = raw[(Math.Min(y + 1, Size - 1) * Size) + x];
                image[(y * Size) + x] = (raw[(y * Size) + x] + right + below) / 3;
            }
        }

        return image;
    }

    private static double[] Signature(float[] image) => TextureSignature.Compute(image, Size, Size);

    [Fact]
    public void Scans_like_the_training_ones_are_near_and_noise_and_patterns_are_far()
    {
        var random = new Random(1);
        var reference = TextureReference.Fit([.. Enumerable.Range(0, 60).Select(_ => Signature(Speckle(random)))]);

        var alike = Enumerable.Range(0, 20).Select(_ => reference.Distance(Signature(Speckle(random)))).ToArray();
        var noise = reference.Distance(Signature([.. Enumerable.Range(0, Size * Size).Select(_ => (float)random.NextDouble())]));
        var stripes = reference.Distance(Signature([.. Enumerable.Range(0, Size * Size).Select(i => i % Size / 6 % 2 == 0 ? 0.1f : 0.9f)]));
        var flat = reference.Distance(Signature([.. Enumerable.Range(0, Size * Size).Select(_ => 0.5f)]));

        Assert.Equal(TextureSignature.Length, Signature(Speckle(random)).Length);
        Assert.All(new[] { noise, stripes, flat }, far => Assert.True(far > 3 * alike.Max(), $"{far} vs the alike scans' largest {alike.Max()}"));
        Assert.Equal(60, reference.Scans);
        Assert.Equal(TextureSignature.Version, reference.SignatureVersion);
    }

    [Fact]
    public void The_percentiles_are_the_values_a_sort_would_give()
    {
        var random = new Random(4);
        foreach (var length in new[] { 1, 2, 7, 100, 4096 })
        {
            // Few distinct values as well as many: duplicates are where selection goes wrong.
            var values = Enumerable.Range(0, length).Select(i => i % 3 == 0 ? (float)random.Next(4) : (float)random.NextDouble()).ToArray();
            var sorted = values.Order().ToArray();
            foreach (var k in new[] { 0, (int)(0.01 * (length - 1)), length / 2, (int)(0.99 * (length - 1)), length - 1 })
            {
                Assert.Equal(sorted[k], TextureSignature.Select([.. values], k));
            }
        }
    }

    [Fact]
    public void The_distance_is_the_mahalanobis_distance_for_independent_features()
    {
        // Two features with standard deviations 1 and 10 and no correlation: a step of one standard deviation along
        // either axis is distance 1 (up to the sample's own deviation from those values).
        var random = new Random(2);
        var rows = Enumerable.Range(0, 20000).Select(_ => new[] { Gaussian(random), 10 * Gaussian(random) }).ToArray();
        var reference = TextureReference.Fit(rows);

        Assert.Equal(1, reference.Distance([1, 0]), 1);
        Assert.Equal(1, reference.Distance([0, 10]), 1);
        Assert.Equal(Math.Sqrt(2), reference.Distance([1, 10]), 1);
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
