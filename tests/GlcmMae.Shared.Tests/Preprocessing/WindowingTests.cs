using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Preprocessing;

namespace GlcmMae.Shared.Tests.Preprocessing;

public sealed class WindowingTests
{
    [Theory]
    // PS3.3 C.11.2.1.2.1 with c = 40, w = 400: bounds at c - 0.5 -/+ (w - 1) / 2 = -160 and 239.
    [InlineData(-160.0, 0.0)]
    [InlineData(-1000.0, 0.0)]
    [InlineData(39.5, 0.5)]
    [InlineData(239.0, 1.0)]
    [InlineData(239.5, 1.0)]
    public void Linear_window_follows_the_standard(double x, double expected)
    {
        Assert.Equal(expected, Windowing.Apply((float)x, 40, 400, VoiLutFunction.Linear), 1e-6);
    }

    [Theory]
    [InlineData(-160.0, 0.0)]
    [InlineData(40.0, 0.5)]
    [InlineData(240.0, 1.0)]
    [InlineData(140.0, 0.75)]
    public void Linear_exact_window_has_no_half_pixel_offsets(double x, double expected)
    {
        Assert.Equal(expected, Windowing.Apply((float)x, 40, 400, VoiLutFunction.LinearExact), 1e-6);
    }

    [Fact]
    public void Sigmoid_window_is_one_half_at_the_centre_and_monotonic()
    {
        Assert.Equal(0.5, Windowing.Apply(40f, 40, 400, VoiLutFunction.Sigmoid), 1e-7);
        Assert.True(Windowing.Apply(100f, 40, 400, VoiLutFunction.Sigmoid) > Windowing.Apply(50f, 40, 400, VoiLutFunction.Sigmoid));
    }

    [Theory]
    [InlineData(VoiLutFunction.Linear)]
    [InlineData(VoiLutFunction.LinearExact)]
    [InlineData(VoiLutFunction.Sigmoid)]
    public void Span_form_matches_the_scalar_form(VoiLutFunction function)
    {
        var values = Enumerable.Range(-300, 700).Select(v => (float)v).ToArray();
        var expected = values.Select(v => Windowing.Apply(v, 40, 400, function)).ToArray();

        Windowing.Apply(values, 40, 400, function);

        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(expected[i], values[i], 1e-6);
        }
    }

    [Theory]
    [InlineData(VoiLutFunction.Linear)]
    [InlineData(VoiLutFunction.LinearExact)]
    [InlineData(VoiLutFunction.Sigmoid)]
    public void Source_to_target_form_windows_every_value_and_leaves_the_source_alone(VoiLutFunction function)
    {
        // Lengths around the vector width cover the vector loop, its tail and inputs shorter than one vector.
        foreach (var length in new[] { 0, 1, 7, 8, 9, 31, 33, 700 })
        {
            var source = Enumerable.Range(0, length).Select(v => (float)((v * 37 % 701) - 300)).ToArray();
            var original = source.ToArray();
            var target = new float[length];

            Windowing.Apply(source, target, 40, 400, function);

            Assert.Equal(original, source);
            for (var i = 0; i < length; i++)
            {
                Assert.Equal(Windowing.Apply(source[i], 40, 400, function), target[i], 1e-6);
            }
        }
    }

    [Fact]
    public void Source_and_target_of_different_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Windowing.Apply(new float[4], new float[3], 40, 400, VoiLutFunction.Linear));
    }

    [Fact]
    public void Range_finds_the_extremes_wherever_they_are()
    {
        var random = new Random(3);
        foreach (var length in new[] { 1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 63, 1000 })
        {
            // Each position in turn holds the minimum and another the maximum: every accumulator and the tail must see them.
            for (var position = 0; position < length; position += Math.Max(1, length / 13))
            {
                var values = Enumerable.Range(0, length).Select(_ => (float)random.Next(-500, 500)).ToArray();
                values[position] = -1000.5f;
                values[length - 1 - position] = position == length - 1 - position ? -1000.5f : 1000.25f;

                var (min, max) = Windowing.Range(values);

                Assert.Equal(values.Min(), min);
                Assert.Equal(values.Max(), max);
            }
        }
    }
}
