using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    public static void Apply(Span<float> values, double c, double w, VoiLutFunction function) => Apply(values, values, c, w, function);

    /// <summary>Windows <paramref name="source"/> into <paramref name="target"/> (the same length; they may be the same span).</summary>
    public static void Apply(ReadOnlySpan<float> source, Span<float> target, double c, double w, VoiLutFunction function)
    {
        if (target.Length != source.Length)
        {
            throw new ArgumentException($"The target holds {target.Length} values for {source.Length} source values.", nameof(target));
        }

        if (function == VoiLutFunction.Sigmoid)
        {
            for (var k = 0; k < source.Length; k++)
            {
                target[k] = Apply(source[k], c, w, function);
            }

            return;
        }

        // Linear forms reduce to clamp((x - low) / span): one multiply-add per value.
        var (low, span) = function == VoiLutFunction.LinearExact ? (c - (w / 2), w) : (c - 0.5 - ((w - 1) / 2), Math.Max(w - 1, 1e-6));
        ScaleClamp(source, target, (float)(1.0 / span), (float)(-low / span));
    }

    /// <summary>target[i] = clamp(source[i] * scale + offset, 0, 1) for finite values (the same length; they may be the same span).</summary>
    internal static void ScaleClamp(ReadOnlySpan<float> source, Span<float> target, float scale, float offset)
    {
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(target);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // The native min/max instructions: since .NET 9 Vector.Min/Max follow IEEE 754:2019 for NaN and signed
            // zeros at several instructions each, which decoded (finite) pixels do not need; on them the results agree.
            var lanes = Vector<float>.Count;
            var vScale = new Vector<float>(scale);
            var vOffset = new Vector<float>(offset);
            for (; i <= source.Length - lanes; i += lanes)
            {
                var v = (Vector.LoadUnsafe(ref from, (nuint)i) * vScale) + vOffset;
                Vector.MinNative(Vector.MaxNative(v, Vector<float>.Zero), Vector<float>.One).StoreUnsafe(ref to, (nuint)i);
            }
        }

        for (; i < source.Length; i++)
        {
            Unsafe.Add(ref to, i) = Math.Clamp((Unsafe.Add(ref from, i) * scale) + offset, 0f, 1f);
        }
    }

    /// <summary>Smallest and largest value (vectorised; the data holds no NaN since decoders produce finite values).</summary>
    public static (float Min, float Max) Range(ReadOnlySpan<float> values)
    {
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        ref var start = ref MemoryMarshal.GetReference(values);
        var i = 0;
        var lanes = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated && values.Length >= 2 * lanes)
        {
            // Two accumulators of each kind keep two independent dependency chains in flight.
            var min0 = new Vector<float>(min);
            var max0 = new Vector<float>(max);
            var (min1, max1) = (min0, max0);
            for (; i <= values.Length - (2 * lanes); i += 2 * lanes)
            {
                var a = Vector.LoadUnsafe(ref start, (nuint)i);
                var b = Vector.LoadUnsafe(ref start, (nuint)(i + lanes));
                (min0, max0) = (Vector.MinNative(min0, a), Vector.MaxNative(max0, a));
                (min1, max1) = (Vector.MinNative(min1, b), Vector.MaxNative(max1, b));
            }

            var vMin = Vector.MinNative(min0, min1);
            var vMax = Vector.MaxNative(max0, max1);
            for (var k = 0; k < lanes; k++)
            {
                min = MathF.Min(min, vMin[k]);
                max = MathF.Max(max, vMax[k]);
            }
        }

        for (; i < values.Length; i++)
        {
            min = MathF.Min(min, Unsafe.Add(ref start, i));
            max = MathF.Max(max, Unsafe.Add(ref start, i));
        }

        return (min, max);
    }

    private static float Linear(float x, double low, double span) => (float)Math.Clamp((x - low) / span, 0.0, 1.0);
}
