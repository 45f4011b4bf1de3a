using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GlcmMae.Shared.Imaging.Raster;

/// <summary>Undoes the filters of 16 consecutive PNG scanlines at once, one row per vector lane.</summary>
/// <remarks>
/// Paeth and Average make every byte wait for the one to its left, so a row cannot be vectorised along its length (the
/// scalar Paeth loop is about a third of a large grayscale PNG's decode; docs/imaging.md). A byte's other inputs come
/// from the row above, though, so 16 rows advance together along a skewed front: at step t, lane i undoes byte t - i of
/// row i, whose upper neighbours lane i - 1 produced one and two steps before. The rows are shifted by their lane and
/// transposed in 16 x 16 blocks on the way in and out, and each lane applies its own row's filter. Needs AVX2; elsewhere <see cref="IsSupported"/> is false and rows are undone one by one.
/// </remarks>
internal sealed class PngStripUnfilter : IDisposable
{
    /// <summary>Rows undone together.</summary>
    public const int Rows = 16;

    private readonly int _width;
    private readonly int _pixelBytes;
    private readonly int _padded;
    private readonly byte[] _skewed;
    private readonly byte[] _lanes;

    /// <summary>Scratch space for rows of <paramref name="width"/> pixels of <paramref name="pixelBytes"/> bytes (rented; dispose to return it).</summary>
    public PngStripUnfilter(int width, int pixelBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pixelBytes, 1);
        _width = width;
        _pixelBytes = pixelBytes;
        _padded = (width + Rows - 1 + 15) & ~15;
        _skewed = ArrayPool<byte>.Shared.Rent(Rows * _padded);
        _lanes = ArrayPool<byte>.Shared.Rent(Rows * _padded);
    }

    /// <summary>True where the vector instructions this needs exist.</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>Undoes <see cref="Rows"/> filtered rows in place: row i starts at <c>i * stride</c> of <paramref name="rows"/>, its filter type is <paramref name="filters"/>[i] (0-4), and <paramref name="above"/> is the decoded row before the first.</summary>
    public void Unfilter(Span<byte> rows, int stride, ReadOnlySpan<byte> filters, ReadOnlySpan<byte> above)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("The strip unfilter needs AVX2.");
        }

        var rowBytes = _width * _pixelBytes;
        if (filters.Length != Rows || above.Length < rowBytes || rows.Length < ((Rows - 1) * stride) + rowBytes)
        {
            throw new ArgumentException("The strip needs 16 rows, 16 filter types and the row above.");
        }

        // Filters predict each byte from the one a pixel to its left, so the bytes of each position within a pixel
        // (a sample, or a byte of a 16-bit sample) form a one-byte-per-pixel image of their own: undo them plane by plane.
        var masks = new FilterMasks(filters);
        for (var plane = 0; plane < _pixelBytes; plane++)
        {
            UnfilterPlane(rows, stride, plane, masks, above);
        }
    }

    private void UnfilterPlane(Span<byte> rows, int stride, int plane, in FilterMasks masks, ReadOnlySpan<byte> above)
    {
        var (width, padded, step) = (_width, _padded, _pixelBytes);

        // Row i shifted right by i bytes, then transposed: lane i of vector t is byte t - i of row i (zero outside).
        Array.Clear(_skewed, 0, Rows * padded);
        for (var i = 0; i < Rows; i++)
        {
            var row = rows.Slice((i * stride) + plane);
            var skewed = _skewed.AsSpan((i * padded) + i, width);
            if (step == 1)
            {
                row[..width].CopyTo(skewed);
                continue;
            }

            ref var from = ref MemoryMarshal.GetReference(row);
            ref var to = ref MemoryMarshal.GetReference(skewed);
            for (var x = 0; x < width; x++)
            {
                Unsafe.Add(ref to, x) = Unsafe.Add(ref from, x * step);
            }
        }

        for (var t = 0; t < padded; t += 16)
        {
            Transpose16(ref _skewed[t], padded, ref _lanes[t * Rows], Rows);
        }

        Advance(masks, above[plane..], step);

        for (var t = 0; t < padded; t += 16)
        {
            Transpose16(ref _lanes[t * Rows], Rows, ref _skewed[t], padded);
        }

        for (var i = 0; i < Rows; i++)
        {
            var row = rows.Slice((i * stride) + plane);
            var skewed = _skewed.AsSpan((i * padded) + i, width);
            if (step == 1)
            {
                skewed.CopyTo(row);
                continue;
            }

            ref var from = ref MemoryMarshal.GetReference(skewed);
            ref var to = ref MemoryMarshal.GetReference(row);
            for (var x = 0; x < width; x++)
            {
                Unsafe.Add(ref to, x * step) = Unsafe.Add(ref from, x);
            }
        }
    }

    /// <summary>Returns the scratch space.</summary>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_skewed);
        ArrayPool<byte>.Shared.Return(_lanes);
    }

    private void Advance(in FilterMasks masks, ReadOnlySpan<byte> above, int step)
    {
        var (sub, up, average, paeth) = (masks.Sub, masks.Up, masks.Average, masks.Paeth);
        var low = Vector256.Create((short)0xFF);

        ref var lanes = ref MemoryMarshal.GetArrayDataReference(_lanes);
        ref var first = ref MemoryMarshal.GetReference(above);
        var left = Vector256<short>.Zero;
        var upper = Vector256<short>.Zero;
        var steps = _width + Rows - 1;
        for (var t = 0; t < steps; t++)
        {
            // Lane i's upper neighbour is lane i - 1 one step ago (lane 0's is the row above), its upper-left the
            // previous step's upper neighbour.
            var upperLeft = upper;
            var shifted = Avx2.AlignRight(left, Avx2.Permute2x128(left, left, 0x08), 14);
            upper = shifted | Vector256.CreateScalar((short)(t < _width ? Unsafe.Add(ref first, t * step) : 0));
            var filtered = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref lanes, (nuint)(t * Rows)));

            var pa = Vector256.Abs(upper - upperLeft);
            var pb = Vector256.Abs(left - upperLeft);
            var pc = Vector256.Abs(left + upper - upperLeft - upperLeft);
            var pickLeft = Vector256.LessThanOrEqual(pa, pb) & Vector256.LessThanOrEqual(pa, pc);
            var paethPredictor = Vector256.ConditionalSelect(pickLeft, left, Vector256.ConditionalSelect(Vector256.LessThanOrEqual(pb, pc), upper, upperLeft));
            var predictor = (paeth & paethPredictor)
                | (average & Vector256.ShiftRightLogical(left + upper, 1))
                | (sub & left)
                | (up & upper);
            left = (filtered + predictor) & low;
            Vector128.Narrow(left.GetLower().AsUInt16(), left.GetUpper().AsUInt16()).StoreUnsafe(ref lanes, (nuint)(t * Rows));
        }
    }

    /// <summary>Per-lane masks that pick each row's predictor (None leaves all four clear: predictor 0).</summary>
    private readonly struct FilterMasks
    {
        public FilterMasks(ReadOnlySpan<byte> filters)
        {
            Span<short> kind = stackalloc short[Rows];
            for (var i = 0; i < Rows; i++)
            {
                kind[i] = filters[i];
            }

            var kinds = Vector256.Create((ReadOnlySpan<short>)kind);
            Sub = Vector256.Equals(kinds, Vector256.Create((short)1));
            Up = Vector256.Equals(kinds, Vector256.Create((short)2));
            Average = Vector256.Equals(kinds, Vector256.Create((short)3));
            Paeth = Vector256.Equals(kinds, Vector256.Create((short)4));
        }

        public Vector256<short> Sub { get; }

        public Vector256<short> Up { get; }

        public Vector256<short> Average { get; }

        public Vector256<short> Paeth { get; }
    }

    /// <summary>destination[c * destinationStride + r] = source[r * sourceStride + c] for a 16 x 16 block of bytes.</summary>
    private static void Transpose16(ref byte source, int sourceStride, ref byte destination, int destinationStride)
    {
        // Four rounds of interleaving: bytes, then pairs, quads and halves of rows.
        var r0 = Vector128.LoadUnsafe(ref source, 0);
        var r1 = Vector128.LoadUnsafe(ref source, (nuint)sourceStride);
        var r2 = Vector128.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        var r3 = Vector128.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        var r4 = Vector128.LoadUnsafe(ref source, (nuint)(4 * sourceStride));
        var r5 = Vector128.LoadUnsafe(ref source, (nuint)(5 * sourceStride));
        var r6 = Vector128.LoadUnsafe(ref source, (nuint)(6 * sourceStride));
        var r7 = Vector128.LoadUnsafe(ref source, (nuint)(7 * sourceStride));
        var r8 = Vector128.LoadUnsafe(ref source, (nuint)(8 * sourceStride));
        var r9 = Vector128.LoadUnsafe(ref source, (nuint)(9 * sourceStride));
        var r10 = Vector128.LoadUnsafe(ref source, (nuint)(10 * sourceStride));
        var r11 = Vector128.LoadUnsafe(ref source, (nuint)(11 * sourceStride));
        var r12 = Vector128.LoadUnsafe(ref source, (nuint)(12 * sourceStride));
        var r13 = Vector128.LoadUnsafe(ref source, (nuint)(13 * sourceStride));
        var r14 = Vector128.LoadUnsafe(ref source, (nuint)(14 * sourceStride));
        var r15 = Vector128.LoadUnsafe(ref source, (nuint)(15 * sourceStride));

        // Bytes of row pairs: a{2k} = rows 2k, 2k+1 interleaved over columns 0-7, a{2k+1} over columns 8-15.
        var (a0, a1) = (Sse2.UnpackLow(r0, r1), Sse2.UnpackHigh(r0, r1));
        var (a2, a3) = (Sse2.UnpackLow(r2, r3), Sse2.UnpackHigh(r2, r3));
        var (a4, a5) = (Sse2.UnpackLow(r4, r5), Sse2.UnpackHigh(r4, r5));
        var (a6, a7) = (Sse2.UnpackLow(r6, r7), Sse2.UnpackHigh(r6, r7));
        var (a8, a9) = (Sse2.UnpackLow(r8, r9), Sse2.UnpackHigh(r8, r9));
        var (a10, a11) = (Sse2.UnpackLow(r10, r11), Sse2.UnpackHigh(r10, r11));
        var (a12, a13) = (Sse2.UnpackLow(r12, r13), Sse2.UnpackHigh(r12, r13));
        var (a14, a15) = (Sse2.UnpackLow(r14, r15), Sse2.UnpackHigh(r14, r15));

        // Groups of four rows: b{4g + j} = rows 4g..4g+3 over columns 4j..4j+3.
        var (b0, b1, b2, b3) = Quads(a0, a1, a2, a3);
        var (b4, b5, b6, b7) = Quads(a4, a5, a6, a7);
        var (b8, b9, b10, b11) = Quads(a8, a9, a10, a11);
        var (b12, b13, b14, b15) = Quads(a12, a13, a14, a15);

        // Groups of eight rows: c{8h + 2j + k} = rows 8h..8h+7 over columns 4j + 2k, 4j + 2k + 1.
        var (c0, c1) = Eights(b0, b4);
        var (c2, c3) = Eights(b1, b5);
        var (c4, c5) = Eights(b2, b6);
        var (c6, c7) = Eights(b3, b7);
        var (c8, c9) = Eights(b8, b12);
        var (c10, c11) = Eights(b9, b13);
        var (c12, c13) = Eights(b10, b14);
        var (c14, c15) = Eights(b11, b15);

        Columns(c0, c8, ref destination, 0, destinationStride);
        Columns(c1, c9, ref destination, 2, destinationStride);
        Columns(c2, c10, ref destination, 4, destinationStride);
        Columns(c3, c11, ref destination, 6, destinationStride);
        Columns(c4, c12, ref destination, 8, destinationStride);
        Columns(c5, c13, ref destination, 10, destinationStride);
        Columns(c6, c14, ref destination, 12, destinationStride);
        Columns(c7, c15, ref destination, 14, destinationStride);
    }

    // Two row pairs, each as columns 0-7 and 8-15, become four rows over columns 0-3, 4-7, 8-11 and 12-15.
    private static (Vector128<byte>, Vector128<byte>, Vector128<byte>, Vector128<byte>) Quads(Vector128<byte> pairLeft, Vector128<byte> pairRight, Vector128<byte> nextPairLeft, Vector128<byte> nextPairRight) =>
        (Sse2.UnpackLow(pairLeft.AsUInt16(), nextPairLeft.AsUInt16()).AsByte(),
         Sse2.UnpackHigh(pairLeft.AsUInt16(), nextPairLeft.AsUInt16()).AsByte(),
         Sse2.UnpackLow(pairRight.AsUInt16(), nextPairRight.AsUInt16()).AsByte(),
         Sse2.UnpackHigh(pairRight.AsUInt16(), nextPairRight.AsUInt16()).AsByte());

    // Rows 0-3 and 4-7 of four columns become eight rows of two columns and of the next two.
    private static (Vector128<byte>, Vector128<byte>) Eights(Vector128<byte> top, Vector128<byte> bottom) =>
        (Sse2.UnpackLow(top.AsUInt32(), bottom.AsUInt32()).AsByte(), Sse2.UnpackHigh(top.AsUInt32(), bottom.AsUInt32()).AsByte());

    // Rows 0-7 and 8-15 of two adjacent columns become those columns, 16 rows each.
    private static void Columns(Vector128<byte> top, Vector128<byte> bottom, ref byte destination, int column, int stride)
    {
        Sse2.UnpackLow(top.AsUInt64(), bottom.AsUInt64()).AsByte().StoreUnsafe(ref destination, (nuint)(column * stride));
        Sse2.UnpackHigh(top.AsUInt64(), bottom.AsUInt64()).AsByte().StoreUnsafe(ref destination, (nuint)((column + 1) * stride));
    }
}
