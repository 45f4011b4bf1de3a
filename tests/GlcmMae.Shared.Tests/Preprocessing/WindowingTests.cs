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
}
