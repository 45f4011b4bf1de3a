using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>Stored values of 8- and 16-bit samples to rescaled frame values (Rescale Slope/Intercept), eight at a time.</summary>
/// <remarks>
/// The decoder's scalar path looks each sample up in a table of (float)(stored value x slope + intercept); for an
/// uncompressed 512 x 512 CT that table is 256 KB and the lookups a large part of the decode. Here the same operations
/// run on vectors: extract the stored bits (shift, mask, sign extension), convert to double, multiply, add, round to
/// float. They are the IEEE operations of the table's formula in the same order (no fused multiply-add), so every
/// value is the table's to the bit.
/// </remarks>
internal static class StoredValueRescaling
{
    /// <summary>True where the vector instructions this needs exist.</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>
    /// output[i] = (float)(stored(i) x slope + intercept), where stored(i) is bits HighBit-BitsStored+1..HighBit of the
    /// i-th little-endian sample of <paramref name="bytesPerSample"/> bytes (1 or 2), sign-extended when signed.
    /// </summary>
    public static void Rescale(ReadOnlySpan<byte> frame, int bytesPerSample, int shift, int bits, bool signed, double slope, double intercept, Span<float> output)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("Vector rescaling needs AVX2.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSample, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytesPerSample, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shift + bits, 8 * bytesPerSample);
        ArgumentOutOfRangeException.ThrowIfLessThan(frame.Length, output.Length * bytesPerSample, nameof(frame));

        ref var from = ref MemoryMarshal.GetReference(frame);
        ref var to = ref MemoryMarshal.GetReference(output);
        var mask = Vector256.Create((int)((1u << bits) - 1));
        var extend = 32 - bits;
        var (slopes, intercepts) = (Vector256.Create(slope), Vector256.Create(intercept));
        var i = 0;
        for (; i <= output.Length - 8; i += 8)
        {
            var samples = bytesPerSample == 1
                ? Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, i))).AsByte())
                : Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref Unsafe.Add(ref from, 2 * i)).AsUInt16());
            var stored = Vector256.ShiftRightLogical(samples, shift) & mask;
            if (signed)
            {
                stored = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(stored, extend), extend);
            }

            var low = Avx.Add(Avx.Multiply(Avx.ConvertToVector256Double(stored.GetLower()), slopes), intercepts);
            var high = Avx.Add(Avx.Multiply(Avx.ConvertToVector256Double(stored.GetUpper()), slopes), intercepts);
            Vector256.Create(Avx.ConvertToVector128Single(low), Avx.ConvertToVector128Single(high)).StoreUnsafe(ref to, (nuint)i);
        }

        var (scalarMask, signBit) = ((1u << bits) - 1, 1u << (bits - 1));
        for (; i < output.Length; i++)
        {
            var sample = bytesPerSample == 1 ? Unsafe.Add(ref from, i) : (uint)(Unsafe.Add(ref from, 2 * i) | (Unsafe.Add(ref from, (2 * i) + 1) << 8));
            Unsafe.Add(ref to, i) = (float)((DicomImageDecoder.Extract(sample, shift, scalarMask, signBit, signed, bits) * slope) + intercept);
        }
    }
}
