using GlcmMae.Shared.Imaging;

namespace GlcmMae.Shared.Preprocessing;

/// <summary>VOI windowing to [0, 1] exactly as PS3.3 C.11.2.1.2-3 defines it (output range ymin 0, ymax 1).</summary>
public static class Windowing
{
    /// <summary>Maps one value through a window of centre <paramref name="c"/> and width <paramref name="w"/>.</summary>
    public static float Apply(float x, double c, double w, VoiLutFunction function) => function switch
    {
        VoiLutFunction.LinearExact => Linear(x, c - (w / 2), w),
        VoiLutFunction.Sigmoid => (float)(1.0 / (1.0 + Math.Exp(-4.0 * (x - c) / w))),
        // C.11.2.1.2.1: x <= c - 0.5 - (w-1)/2 -> 0; x > c - 0.5 + (w-1)/2 -> 1; else ((x - (c - 0.5)) / (w-1) + 0.5).
        _ => w <= 1 ? (x <= c - 0.5 ? 0f : 1f) : Linear(x, c - 0.5 - ((w - 1) / 2), w - 1),
    };

    /// <summary>Windows every value in place.</summary>
    public static void Apply(Span<float> values, double c, double w, VoiLutFunction function)
    {
        if (function == VoiLutFunction.Sigmoid)
        {
            for (var k = 0; k < values.Length; k++)
            {
                values[k] = Apply(values[k], c, w, function);
            }

            return;
        }

        // Linear forms reduce to clamp((x - low) / span): one multiply-add per value.
        var (low, span) = function == VoiLutFunction.LinearExact ? (c - (w / 2), w) : (c - 0.5 - ((w - 1) / 2), Math.Max(w - 1, 1e-6));
        var scale = (float)(1.0 / span);
        var offset = (float)(-low / span);
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var width = System.Numerics.Vector<float>.Count;
            var vScale = new System.Numerics.Vector<float>(scale);
            var vOffset = new System.Numerics.Vector<float>(offset);
            var one = System.Numerics.Vector<float>.One;
            for (; i <= values.Length - width; i += width)
            {
                var v = (new System.Numerics.Vector<float>(values[i..]) * vScale) + vOffset;
                System.Numerics.Vector.Min(System.Numerics.Vector.Max(v, System.Numerics.Vector<float>.Zero), one).CopyTo(values[i..]);
            }
        }

        for (; i < values.Length; i++)
        {
            values[i] = Math.Clamp((values[i] * scale) + offset, 0f, 1f);
        }
    }

    /// <summary>Smallest and largest value (vectorised; the data holds no NaN since decoders produce finite values).</summary>
    public static (float Min, float Max) Range(ReadOnlySpan<float> values)
    {
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && values.Length >= System.Numerics.Vector<float>.Count)
        {
            var width = System.Numerics.Vector<float>.Count;
            var vMin = new System.Numerics.Vector<float>(min);
            var vMax = new System.Numerics.Vector<float>(max);
            for (; i <= values.Length - width; i += width)
            {
                var v = new System.Numerics.Vector<float>(values[i..]);
                vMin = System.Numerics.Vector.Min(vMin, v);
                vMax = System.Numerics.Vector.Max(vMax, v);
            }

            for (var k = 0; k < width; k++)
            {
                min = MathF.Min(min, vMin[k]);
                max = MathF.Max(max, vMax[k]);
            }
        }

        for (; i < values.Length; i++)
        {
            min = MathF.Min(min, values[i]);
            max = MathF.Max(max, values[i]);
        }

        return (min, max);
    }

    private static float Linear(float x, double low, double span) => (float)Math.Clamp((x - low) / span, 0.0, 1.0);
}
