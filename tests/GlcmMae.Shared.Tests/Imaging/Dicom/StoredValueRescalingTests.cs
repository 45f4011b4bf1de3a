using GlcmMae.Shared.Imaging.Dicom;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

public sealed class StoredValueRescalingTests
{
    // Bytes per sample, shift (HighBit + 1 - BitsStored), BitsStored, signed, slope, intercept: the common CT and
    // ultrasound layouts and odd ones (bits below the high bit, fractional rescales, large intercepts).
    public static TheoryData<int, int, int, bool, double, double> Layouts() => new()
    {
        { 1, 0, 8, false, 1, 0 },
        { 1, 0, 8, true, 1, 0 },
        { 1, 1, 7, false, 2.5, -3.25 },
        { 1, 2, 5, true, 0.1, 7 },
        { 2, 0, 16, false, 1, 0 },
        { 2, 0, 16, true, 1, -1024 },
        { 2, 0, 12, false, 1, -1024 },
        { 2, 0, 12, true, 0.5, 0.1 },
        { 2, 4, 12, false, 1, 0 },
        { 2, 3, 10, true, 3.7, 1e6 },
        { 2, 0, 16, true, 1e-3, -32768.123 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Every_sample_value_rescales_to_the_scalar_formula_bit_for_bit(int bytesPerSample, int shift, int bits, bool signed, double slope, double intercept)
    {
        // Every possible sample, then a few more so that the scalar tail runs too.
        var count = (1 << (8 * bytesPerSample)) + 5;
        var frame = new byte[count * bytesPerSample];
        for (var i = 0; i < count; i++)
        {
            var sample = i % (1 << (8 * bytesPerSample));
            frame[i * bytesPerSample] = (byte)sample;
            if (bytesPerSample == 2)
            {
                frame[(i * 2) + 1] = (byte)(sample >> 8);
            }
        }

        var output = new float[count + 1];
        output[^1] = -7f;

        StoredValueRescaling.Rescale(frame, bytesPerSample, shift, bits, signed, slope, intercept, output.AsSpan(0, count));

        for (var i = 0; i < count; i++)
        {
            var sample = (uint)(i % (1 << (8 * bytesPerSample)));
            Assert.Equal(Reference(sample, shift, bits, signed, slope, intercept), output[i]);
        }

        Assert.Equal(-7f, output[^1]);
    }

    [Fact]
    public void A_layout_wider_than_its_sample_and_a_short_frame_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StoredValueRescaling.Rescale(new byte[16], 1, 2, 8, false, 1, 0, new float[16]));
        Assert.Throws<ArgumentOutOfRangeException>(() => StoredValueRescaling.Rescale(new byte[31], 2, 0, 16, false, 1, 0, new float[16]));
    }

    // The decoder's table entry: the stored bits, sign-extended, times slope plus intercept in double, then float.
    private static float Reference(uint sample, int shift, int bits, bool signed, double slope, double intercept)
    {
        var mask = (1u << bits) - 1;
        var value = (sample >> shift) & mask;
        var stored = signed && (value & (1u << (bits - 1))) != 0 ? (int)(value | ~mask) : (int)value;
        return (float)((stored * slope) + intercept);
    }
}
