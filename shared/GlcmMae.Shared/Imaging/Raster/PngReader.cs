using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GlcmMae.Shared.Imaging.Raster;

/// <summary>Decodes the PNG layouts scans are stored in (8/16-bit grayscale or RGB, with or without alpha, not interlaced) straight into a frame.</summary>
/// <remarks>
/// Why not ImageSharp for these: its general pixel pipeline (identify, decode to a pixel type, copy out) took about three
/// quarters of a small scan's decode time in the serving profile, and scans almost always use these layouts. Values
/// equal ImageSharp's: alpha dropped, 16-bit samples kept whole, no gamma applied. Palette images, sub-byte depths and
/// Adam7 interlacing are left to the general decoder (<see cref="TryDecode"/> returns false).
/// </remarks>
public static class PngReader
{
    private const int SignatureLength = 8;
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Decodes <paramref name="png"/> when it uses a layout this reader handles; false leaves it to a general decoder.</summary>
    /// <exception cref="ImageFormatException">The file is damaged (CRC mismatch, truncated or invalid compressed data, bad filter).</exception>
    /// <exception cref="ImageTooLargeException">A side exceeds <paramref name="maxDimension"/>.</exception>
    public static bool TryDecode(ReadOnlySpan<byte> png, int maxDimension, [NotNullWhen(true)] out ScanImage? image)
    {
        image = null;
        if (png.Length < SignatureLength || !png[..SignatureLength].SequenceEqual(Signature))
        {
            throw Corrupt("it does not start with the PNG signature");
        }

        Header? header = null;
        byte[]? compressed = null;
        var compressedLength = 0;
        try
        {
            var at = SignatureLength;
            var ended = false;
            while (!ended)
            {
                if (png.Length - at < 12)
                {
                    if (header is not null && compressedLength > 0)
                    {
                        // Only IEND (or less) is missing: the image data is complete and checked, so decode it.
                        break;
                    }

                    throw Corrupt("it is truncated");
                }

                var length = BinaryPrimitives.ReadUInt32BigEndian(png[at..]);
                if (length > (uint)(png.Length - at - 12))
                {
                    throw Corrupt("a chunk runs past the end of the file (truncated)");
                }

                var type = png.Slice(at + 4, 4);
                var data = png.Slice(at + 8, (int)length);
                var critical = (type[0] & 0x20) == 0;
                if (critical && Crc32.HashToUInt32(png.Slice(at + 4, 4 + (int)length)) != BinaryPrimitives.ReadUInt32BigEndian(png[(at + 8 + (int)length)..]))
                {
                    throw Corrupt($"the CRC of its {System.Text.Encoding.ASCII.GetString(type)} chunk does not match");
                }

                at += 12 + (int)length;
                if (header is null)
                {
                    if (!type.SequenceEqual("IHDR"u8))
                    {
                        throw Corrupt("its first chunk is not IHDR");
                    }

                    header = Header.Parse(data, maxDimension);
                    if (!header.Value.Supported)
                    {
                        return false;
                    }

                    continue;
                }

                if (type.SequenceEqual("IDAT"u8))
                {
                    Append(ref compressed, ref compressedLength, data);
                }
                else if (type.SequenceEqual("IEND"u8))
                {
                    ended = true;
                }
                else if (critical)
                {
                    // PLTE in an RGB image is a suggestion only; any other critical chunk is one this reader cannot honour.
                    if (!type.SequenceEqual("PLTE"u8))
                    {
                        return false;
                    }
                }
            }

            if (compressedLength == 0)
            {
                throw Corrupt("it has no image data (IDAT)");
            }

            image = header!.Value.Decode(compressed!, compressedLength);
            return true;
        }
        finally
        {
            if (compressed is not null)
            {
                ArrayPool<byte>.Shared.Return(compressed);
            }
        }
    }

    private static void Append(ref byte[]? buffer, ref int length, ReadOnlySpan<byte> data)
    {
        if (buffer is null || buffer.Length - length < data.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(length + data.Length, (buffer?.Length ?? 0) * 2));
            if (buffer is not null)
            {
                buffer.AsSpan(0, length).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(buffer);
            }

            buffer = grown;
        }

        data.CopyTo(buffer.AsSpan(length));
        length += data.Length;
    }

    private static ImageFormatException Corrupt(string why) => new("CorruptFile", $"The PNG file cannot be decoded: {why}.");

    private readonly record struct Header(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
    {
        /// <summary>Samples per pixel in the file: gray 1, gray+alpha 2, RGB 3, RGBA 4.</summary>
        private int SamplesIn => ColorType switch { 0 => 1, 4 => 2, 2 => 3, _ => 4 };

        public bool Supported => !Interlaced && ColorType != 3 && BitDepth >= 8;

        public static Header Parse(ReadOnlySpan<byte> data, int maxDimension)
        {
            if (data.Length != 13)
            {
                throw Corrupt("its IHDR chunk has the wrong length");
            }

            var width = BinaryPrimitives.ReadUInt32BigEndian(data);
            var height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
            if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
            {
                throw Corrupt($"its size {width}x{height} is invalid");
            }

            RasterImageReader.RequireWithinLimit(width, height, maxDimension);

            var header = new Header((int)width, (int)height, data[8], data[9], data[12] == 1);
            var validDepth = header.ColorType switch
            {
                0 => header.BitDepth is 1 or 2 or 4 or 8 or 16,
                3 => header.BitDepth is 1 or 2 or 4 or 8,
                2 or 4 or 6 => header.BitDepth is 8 or 16,
                _ => false,
            };
            if (!validDepth || data[10] != 0 || data[11] != 0 || data[12] > 1)
            {
                throw Corrupt($"its header is invalid (colour type {header.ColorType}, bit depth {header.BitDepth}, methods {data[10]}/{data[11]}/{data[12]})");
            }

            return header;
        }

        public ScanImage Decode(byte[] compressed, int compressedLength)
        {
            var bytesPerSample = BitDepth / 8;
            var pixelBytes = SamplesIn * bytesPerSample;
            var rowBytes = (long)Width * pixelBytes;
            var rawLength = (rowBytes + 1) * Height;
            var channels = ColorType is 0 or 4 ? 1 : 3;
            if (rawLength > Array.MaxLength || (long)Width * Height * channels > Array.MaxLength)
            {
                throw new ImageTooLargeException($"The image is {Width}x{Height}: its pixels do not fit in memory as one frame.");
            }

            var raw = ArrayPool<byte>.Shared.Rent((int)rawLength);
            try
            {
                Inflate(compressed, compressedLength, raw.AsSpan(0, (int)rawLength));
                // Every value is written below; pooled frames come back from the preprocessor in serving.
                var pixels = FramePool.Shared.Rent(Width * Height * channels);
                var stride = (int)rowBytes + 1;
                const int strip = PngStripUnfilter.Rows;
                using var strips = Height > strip && PngStripUnfilter.IsSupported ? new PngStripUnfilter(Width, pixelBytes) : null;
                Span<byte> filters = stackalloc byte[strip];
                var y = 0;
                while (y < Height)
                {
                    if (strips is not null && y > 0 && y + strip <= Height && CollectFilters(raw, y, stride, filters))
                    {
                        strips.Unfilter(raw.AsSpan((y * stride) + 1), stride, filters, raw.AsSpan(((y - 1) * stride) + 1, stride - 1));
                        for (var end = y + strip; y < end; y++)
                        {
                            Convert(raw.AsSpan((y * stride) + 1, stride - 1), pixels.AsSpan(y * Width * channels, Width * channels), channels, bytesPerSample);
                        }

                        continue;
                    }

                    var row = raw.AsSpan((y * stride) + 1, stride - 1);
                    var previous = y == 0 ? default : raw.AsSpan(((y - 1) * stride) + 1, stride - 1);
                    Unfilter(raw[y * stride], row, previous, pixelBytes);
                    Convert(row, pixels.AsSpan(y * Width * channels, Width * channels), channels, bytesPerSample);
                    y++;
                }

                var max = BitDepth == 16 ? 65535 : 255;
                return new ScanImage(Width, Height, channels, pixels, channels == 1 ? ScanPhotometric.Monochrome2 : ScanPhotometric.Rgb, 0, max, VoiSettings.None);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(raw);
            }
        }

        private static void Inflate(byte[] compressed, int length, Span<byte> target)
        {
            if (LibdeflateZlib.TryDecompress(compressed.AsSpan(0, length), target))
            {
                return;
            }

            try
            {
                using var zlib = new ZLibStream(new MemoryStream(compressed, 0, length, writable: false), CompressionMode.Decompress);
                var read = zlib.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
                if (read < target.Length)
                {
                    throw Corrupt($"its image data ends after {read} of {target.Length} bytes (truncated)");
                }
            }
            catch (InvalidDataException exception)
            {
                throw new ImageFormatException("CorruptFile", $"The PNG file cannot be decoded: its compressed image data is damaged ({exception.Message}).", exception);
            }
        }

        /// <summary>The filter types of the strip of rows from <paramref name="y"/>; true when they are valid and one of them is worth the strip unfilter (Average or Paeth: every byte waits for its left neighbour).</summary>
        private static bool CollectFilters(byte[] raw, int y, int stride, Span<byte> filters)
        {
            var serial = false;
            for (var i = 0; i < filters.Length; i++)
            {
                var filter = raw[(y + i) * stride];
                if (filter > 4)
                {
                    // The row-by-row path reports it.
                    return false;
                }

                filters[i] = filter;
                serial |= filter >= 3;
            }

            return serial;
        }

        /// <summary>Undoes one scanline's filter in place (PNG specification, section 9); the row above the first is zeros.</summary>
        private static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> previous, int pixelBytes)
        {
            if (filter > 4)
            {
                throw Corrupt($"a scanline has the unknown filter type {filter}");
            }

            if (previous.IsEmpty)
            {
                // Against a zero row: Up adds nothing, Paeth always picks the left byte, Average halves it (5, the default case below).
                filter = filter switch { 2 => 0, 4 => 1, 3 => 5, _ => filter };
            }

            switch (filter)
            {
                case 0:
                    return;
                case 1:
                    UnfilterSub(row, pixelBytes);
                    return;
                case 2:
                    AddUp(row, previous);
                    return;
                case 3:
                    for (var i = 0; i < pixelBytes; i++)
                    {
                        row[i] += (byte)(previous[i] >> 1);
                    }

                    for (var i = pixelBytes; i < row.Length; i++)
                    {
                        row[i] += (byte)((row[i - pixelBytes] + previous[i]) >> 1);
                    }

                    return;
                case 4:
                    UnfilterPaeth(row, previous, pixelBytes);
                    return;
                default:
                    for (var i = pixelBytes; i < row.Length; i++)
                    {
                        row[i] += (byte)(row[i - pixelBytes] >> 1);
                    }

                    return;
            }
        }

        private static void UnfilterSub(Span<byte> row, int pixelBytes)
        {
            if (pixelBytes == 1)
            {
                // Through memory, each byte would wait for the store of the one before it; a register carries it instead.
                int left = row[0];
                for (var i = 1; i < row.Length; i++)
                {
                    left = (byte)(row[i] + left);
                    row[i] = (byte)left;
                }

                return;
            }

            for (var i = pixelBytes; i < row.Length; i++)
            {
                row[i] += row[i - pixelBytes];
            }
        }

        private static void AddUp(Span<byte> row, ReadOnlySpan<byte> previous)
        {
            var i = 0;
            if (System.Numerics.Vector.IsHardwareAccelerated)
            {
                var width = System.Numerics.Vector<byte>.Count;
                for (; i <= row.Length - width; i += width)
                {
                    (new System.Numerics.Vector<byte>(row[i..]) + new System.Numerics.Vector<byte>(previous[i..])).CopyTo(row[i..]);
                }
            }

            for (; i < row.Length; i++)
            {
                row[i] += previous[i];
            }
        }

        private static void UnfilterPaeth(Span<byte> row, ReadOnlySpan<byte> previous, int pixelBytes)
        {
            for (var i = 0; i < pixelBytes; i++)
            {
                row[i] += previous[i];
            }

            // Each byte depends on the one decoded pixelBytes before it, so this loop is a dependency chain: no branches
            // in it (on noisy scans the predictor's choice is unpredictable), no bounds checks, and for grayscale the
            // left byte stays in a register instead of going through memory.
            ref var current = ref MemoryMarshal.GetReference(row);
            ref var above = ref MemoryMarshal.GetReference(previous);
            if (pixelBytes == 1)
            {
                int left = current;
                for (var i = 1; i < row.Length; i++)
                {
                    left = (byte)(Unsafe.Add(ref current, i) + PaethFromLeft(left, Unsafe.Add(ref above, i), Unsafe.Add(ref above, i - 1)));
                    Unsafe.Add(ref current, i) = (byte)left;
                }

                return;
            }

            for (var i = pixelBytes; i < row.Length; i++)
            {
                int left = Unsafe.Add(ref current, i - pixelBytes);
                int up = Unsafe.Add(ref above, i);
                int upLeft = Unsafe.Add(ref above, i - pixelBytes);
                Unsafe.Add(ref current, i) += (byte)PaethFromLeft(left, up, upLeft);
            }
        }

        private void Convert(ReadOnlySpan<byte> row, Span<float> target, int channels, int bytesPerSample)
        {
            var samplesIn = SamplesIn;
            if (samplesIn == channels)
            {
                // No alpha: samples are in frame order already.
                if (bytesPerSample == 1)
                {
                    SampleWidening.FromBytes(row, target);
                }
                else
                {
                    SampleWidening.FromBigEndianWords(row, target);
                }

                return;
            }

            var pixelBytes = samplesIn * bytesPerSample;
            for (var x = 0; x < Width; x++)
            {
                var pixel = row.Slice(x * pixelBytes, pixelBytes);
                for (var c = 0; c < channels; c++)
                {
                    target[(x * channels) + c] = bytesPerSample == 1 ? pixel[c] : BinaryPrimitives.ReadUInt16BigEndian(pixel[(c * 2)..]);
                }
            }
        }
    }

    /// <summary>The Paeth predictor rearranged so that little of it waits for <paramref name="left"/>: equal to the specification's predictor for all byte inputs.</summary>
    /// <remarks>
    /// With d = left - upLeft and s = up - upLeft, the predictor picks left unless d lies strictly between lo and hi
    /// (hi - lo = 3|s|; lo = -2|s| when s is at least 0, else -|s|), and inside that interval picks up or upLeft on
    /// either side of a threshold (d at least -floor(s/2) picks up when s is at least 0; d at most floor(|s|/2) picks
    /// up when s is negative). Everything but the two comparisons with left is known from the row above, so the
    /// chain that carries left from pixel to pixel is about half as long as in the textbook form.
    /// </remarks>
    internal static int PaethFromLeft(int left, int up, int upLeft)
    {
        var s = up - upLeft;
        var negative = s >> 31;
        var size = (s ^ negative) - negative;
        var half = size >> 1;
        var lowerBound = upLeft - (2 * size) + (size & negative) + 1;
        var threshold = upLeft + (negative & ((2 * half) + 1)) - half;
        var swap = (up ^ upLeft) & negative;
        var below = upLeft ^ swap;
        var atOrAbove = up ^ swap;

        var offset = left - lowerBound;
        var inside = ((offset - ((3 * size) - 1)) & ~offset) >> 31;
        var middle = atOrAbove ^ ((below ^ atOrAbove) & ((left - threshold) >> 31));
        return left ^ ((left ^ middle) & inside);
    }
}
