using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Raster;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Shared.Tests.Imaging.Raster;

public sealed class PngReaderTests
{
    public static TheoryData<PngColorType, PngBitDepth, PngFilterMethod> Layouts()
    {
        var data = new TheoryData<PngColorType, PngBitDepth, PngFilterMethod>();
        foreach (var color in new[] { PngColorType.Grayscale, PngColorType.GrayscaleWithAlpha, PngColorType.Rgb, PngColorType.RgbWithAlpha })
        {
            foreach (var depth in new[] { PngBitDepth.Bit8, PngBitDepth.Bit16 })
            {
                foreach (var filter in Enum.GetValues<PngFilterMethod>())
                {
                    data.Add(color, depth, filter);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Decodes_every_supported_layout_and_filter_exactly_as_ImageSharp(PngColorType color, PngBitDepth depth, PngFilterMethod filter)
    {
        var png = Encode(RandomImage(13, 7, seed: (int)color * 10 + (int)depth), new PngEncoder { ColorType = color, BitDepth = depth, FilterMethod = filter });

        Assert.True(PngReader.TryDecode(png, 16384, out var decoded));

        var expected = Reference(png, color is PngColorType.Grayscale or PngColorType.GrayscaleWithAlpha, depth == PngBitDepth.Bit16);
        Assert.Equal(expected.Channels, decoded.Channels);
        Assert.Equal((13, 7), (decoded.Width, decoded.Height));
        Assert.Equal(depth == PngBitDepth.Bit16 ? 65535 : 255, decoded.MaxValue);
        Assert.Equal(expected.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Filters_follow_the_specification_with_byte_wraparound()
    {
        // One 3 x 2 grayscale image, row 0 Sub-filtered and row 1 Paeth-filtered, written by hand.
        byte[] raw = [1, 10, 5, 250, 4, 1, 2, 3];
        var png = Build(3, 2, 8, 0, raw);

        Assert.True(PngReader.TryDecode(png, 100, out var decoded));

        // Row 0: 10, 10+5, 15+250 (mod 256). Row 1 (Paeth): left 0 and up-left 0 pick up for x = 0, then the nearest of
        // left/up/up-left to left + up - up-left.
        var row0 = new[] { 10, 15, 9 };
        var x0 = 1 + row0[0];
        var x1 = 2 + PaethReference(x0, row0[1], row0[0]);
        var x2 = 3 + PaethReference(x1 & 255, row0[2], row0[1]);
        Assert.Equal(new float[] { 10, 15, 9, x0 & 255, x1 & 255, x2 & 255 }, decoded.Pixels);
    }

    [Theory]
    [InlineData(1, 17, 8, 0)]
    [InlineData(2, 33, 8, 0)]
    [InlineData(15, 20, 8, 0)]
    [InlineData(16, 48, 8, 0)]
    [InlineData(17, 40, 8, 0)]
    [InlineData(100, 37, 8, 0)]
    [InlineData(300, 70, 8, 0)]
    [InlineData(41, 35, 16, 0)]
    [InlineData(23, 34, 8, 4)]
    [InlineData(37, 33, 8, 2)]
    [InlineData(19, 50, 8, 6)]
    [InlineData(29, 18, 16, 2)]
    [InlineData(5, 17, 16, 6)]
    public void Rows_undone_sixteen_at_a_time_equal_the_specification_for_any_mix_of_filters(int width, int height, int depth, int color)
    {
        // Random filter types per row, runs of Paeth and Average among them (the rows the strip unfilter takes), with
        // wrap-around everywhere: every row, including the first of each strip, must match the specification.
        var pixelBytes = depth / 8 * (color switch { 0 => 1, 4 => 2, 2 => 3, _ => 4 });
        var random = new Random((width * 1000) + height + color);
        var stride = (width * pixelBytes) + 1;
        var raw = new byte[stride * height];
        random.NextBytes(raw);
        for (var y = 0; y < height; y++)
        {
            raw[y * stride] = (byte)(y % 11 < 6 ? 4 : y % 11 < 8 ? 3 : random.Next(5));
        }

        Assert.True(PngReader.TryDecode(Build(width, height, depth, color, raw), 16384, out var decoded));

        Assert.Equal(Samples(UnfilterReference(raw, width * pixelBytes, height, pixelBytes), depth, color), decoded.Pixels);
    }

    [Theory]
    [InlineData(PngColorType.Grayscale, PngBitDepth.Bit8, PngFilterMethod.Paeth)]
    [InlineData(PngColorType.Grayscale, PngBitDepth.Bit8, PngFilterMethod.Average)]
    [InlineData(PngColorType.Grayscale, PngBitDepth.Bit8, PngFilterMethod.Adaptive)]
    [InlineData(PngColorType.Grayscale, PngBitDepth.Bit16, PngFilterMethod.Adaptive)]
    [InlineData(PngColorType.Rgb, PngBitDepth.Bit8, PngFilterMethod.Adaptive)]
    [InlineData(PngColorType.RgbWithAlpha, PngBitDepth.Bit16, PngFilterMethod.Paeth)]
    public void Large_PNGs_decode_exactly_as_ImageSharp(PngColorType color, PngBitDepth depth, PngFilterMethod filter)
    {
        var png = Encode(RandomImage(211, 97, seed: (int)filter), new PngEncoder { ColorType = color, BitDepth = depth, FilterMethod = filter });

        Assert.True(PngReader.TryDecode(png, 16384, out var decoded));

        Assert.Equal(Reference(png, color == PngColorType.Grayscale, depth == PngBitDepth.Bit16).Pixels, decoded.Pixels);
    }

    [Fact]
    public void The_rearranged_Paeth_predictor_equals_the_specification_for_every_byte_triple()
    {
        var mismatches = 0;
        for (var left = 0; left < 256; left++)
        {
            for (var up = 0; up < 256; up++)
            {
                for (var upLeft = 0; upLeft < 256; upLeft++)
                {
                    mismatches += PngReader.PaethFromLeft(left, up, upLeft) == PaethReference(left, up, upLeft) ? 0 : 1;
                }
            }
        }

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Image_data_split_over_several_IDAT_chunks_is_joined()
    {
        var original = Encode(RandomImage(31, 17, seed: 3), new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8, FilterMethod = PngFilterMethod.Adaptive });

        var split = SplitImageData(original, pieces: 5);

        Assert.True(PngReader.TryDecode(split, 16384, out var decoded));
        Assert.Equal(Reference(original, true, false).Pixels, decoded.Pixels);
    }

    [Theory]
    [InlineData(PngColorType.Palette, PngBitDepth.Bit8, PngInterlaceMode.None)]
    [InlineData(PngColorType.Grayscale, PngBitDepth.Bit1, PngInterlaceMode.None)]
    [InlineData(PngColorType.Grayscale, PngBitDepth.Bit8, PngInterlaceMode.Adam7)]
    public void Other_layouts_are_left_to_the_general_decoder_which_still_reads_them(PngColorType color, PngBitDepth depth, PngInterlaceMode interlace)
    {
        var png = Encode(RandomImage(9, 9, seed: 5), new PngEncoder { ColorType = color, BitDepth = depth, InterlaceMethod = interlace });

        Assert.False(PngReader.TryDecode(png, 16384, out _));

        var decoded = RasterImageReader.Decode(png);
        var expected = Reference(png, color == PngColorType.Grayscale, false);
        Assert.Equal(expected.Pixels, decoded.Pixels);
    }

    [Fact]
    public void A_flipped_bit_in_the_image_data_fails_the_CRC()
    {
        var png = Encode(RandomImage(8, 8, seed: 1), new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 });
        var idat = FindChunk(png, "IDAT");
        png[idat + 8 + 3] ^= 0x10;

        var error = Assert.Throws<GlcmMae.Shared.Imaging.ImageFormatException>(() => PngReader.TryDecode(png, 100, out _));

        Assert.Equal("CorruptFile", error.ErrorCode);
        Assert.Contains("CRC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_cut_inside_its_image_data_is_corrupt_but_one_missing_only_IEND_decodes()
    {
        var png = Encode(RandomImage(8, 8, seed: 2), new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 });
        var idat = FindChunk(png, "IDAT");

        var cut = Assert.Throws<GlcmMae.Shared.Imaging.ImageFormatException>(() => PngReader.TryDecode(png.AsSpan(0, idat + 20), 100, out _));
        Assert.Equal("CorruptFile", cut.ErrorCode);

        Assert.True(PngReader.TryDecode(png.AsSpan(0, png.Length - 12), 100, out var decoded));
        Assert.Equal(Reference(png, true, false).Pixels, decoded.Pixels);
    }

    [Fact]
    public void Too_little_image_data_an_unknown_filter_and_damaged_deflate_are_corrupt()
    {
        var shortData = Build(4, 4, 8, 0, new byte[3 * 5]);
        var badFilter = Build(2, 2, 8, 0, [5, 1, 2, 0, 3, 4]);
        var notDeflate = BuildChunks(Header(2, 2, 8, 0), ("IDAT", [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]), ("IEND", []));

        foreach (var png in new[] { shortData, badFilter, notDeflate })
        {
            var error = Assert.Throws<GlcmMae.Shared.Imaging.ImageFormatException>(() => PngReader.TryDecode(png, 100, out _));
            Assert.Equal("CorruptFile", error.ErrorCode);
        }
    }

    [Fact]
    public void A_side_over_the_limit_is_refused_before_any_image_data_is_read()
    {
        var png = Build(50, 10, 8, 0, new byte[51 * 10]);

        Assert.Throws<ImageTooLargeException>(() => PngReader.TryDecode(png, 40, out _));
        Assert.True(PngReader.TryDecode(png, 50, out _));
    }

    [Fact]
    public void Invalid_header_combinations_are_corrupt()
    {
        var rgbFourBit = BuildChunks(Header(2, 2, 4, 2), ("IEND", []));
        var zeroWidth = BuildChunks(Header(0, 2, 8, 0), ("IEND", []));

        foreach (var png in new[] { rgbFourBit, zeroWidth })
        {
            var error = Assert.Throws<GlcmMae.Shared.Imaging.ImageFormatException>(() => PngReader.TryDecode(png, 100, out _));
            Assert.Equal("CorruptFile", error.ErrorCode);
        }
    }

    /// <summary>The PNG specification's unfiltering, byte by byte: the unfiltered bytes of each row.</summary>
    private static byte[][] UnfilterReference(byte[] raw, int rowBytes, int height, int pixelBytes)
    {
        var rows = new byte[height][];
        for (var y = 0; y < height; y++)
        {
            rows[y] = new byte[rowBytes];
            for (var x = 0; x < rowBytes; x++)
            {
                var a = x >= pixelBytes ? rows[y][x - pixelBytes] : 0;
                var b = y > 0 ? rows[y - 1][x] : 0;
                var c = x >= pixelBytes && y > 0 ? rows[y - 1][x - pixelBytes] : 0;
                var predictor = raw[y * (rowBytes + 1)] switch { 1 => a, 2 => b, 3 => (a + b) / 2, 4 => PaethReference(a, b, c), _ => 0 };
                rows[y][x] = (byte)(raw[(y * (rowBytes + 1)) + 1 + x] + predictor);
            }
        }

        return rows;
    }

    /// <summary>The frame values of unfiltered rows: samples big-endian, alpha dropped.</summary>
    private static float[] Samples(byte[][] rows, int depth, int color)
    {
        var (samples, kept) = color switch { 0 => (1, 1), 4 => (2, 1), 2 => (3, 3), _ => (4, 3) };
        var bytes = depth / 8;
        var values = new List<float>();
        foreach (var row in rows)
        {
            for (var pixel = 0; pixel < row.Length / (samples * bytes); pixel++)
            {
                for (var sample = 0; sample < kept; sample++)
                {
                    var at = ((pixel * samples) + sample) * bytes;
                    values.Add(bytes == 1 ? row[at] : (row[at] << 8) | row[at + 1]);
                }
            }
        }

        return [.. values];
    }

    private static int PaethReference(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static Image<Rgba64> RandomImage(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new Image<Rgba64>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                // Smooth ramps plus noise, so that every filter gets chosen by the adaptive encoder somewhere.
                image[x, y] = new Rgba64((ushort)((x * 4000) + random.Next(3000)), (ushort)random.Next(65536), (ushort)(y * 9000), (ushort)random.Next(65536));
            }
        }

        return image;
    }

    private static byte[] Encode(Image<Rgba64> image, PngEncoder encoder)
    {
        using (image)
        {
            using var stream = new MemoryStream();
            image.SaveAsPng(stream, encoder);
            return stream.ToArray();
        }
    }

    /// <summary>The values ImageSharp decodes, in the frame layout the reader produces.</summary>
    private static (int Channels, float[] Pixels) Reference(byte[] png, bool gray, bool sixteen)
    {
        return (gray, sixteen) switch
        {
            (true, false) => (1, Pixels<L8>(png, p => [p.PackedValue])),
            (true, true) => (1, Pixels<L16>(png, p => [p.PackedValue])),
            (false, false) => (3, Pixels<Rgb24>(png, p => [p.R, p.G, p.B])),
            _ => (3, Pixels<Rgb48>(png, p => [p.R, p.G, p.B])),
        };
    }

    private static float[] Pixels<TPixel>(byte[] png, Func<TPixel, float[]> values)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var image = Image.Load<TPixel>(png);
        var result = new List<float>();
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                result.AddRange(values(image[x, y]));
            }
        }

        return [.. result];
    }

    private static byte[] Header(int width, int height, int depth, int color)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(data, width);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), height);
        data[8] = (byte)depth;
        data[9] = (byte)color;
        return data;
    }

    private static byte[] Build(int width, int height, int depth, int color, byte[] filteredRows)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(filteredRows);
        }

        return BuildChunks(Header(width, height, depth, color), ("IDAT", compressed.ToArray()), ("IEND", []));
    }

    private static byte[] BuildChunks(byte[] header, params (string Type, byte[] Data)[] chunks)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        foreach (var (type, data) in chunks.Prepend(("IHDR", header)))
        {
            WriteChunk(stream, type, data);
        }

        return stream.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed.AsSpan(4));
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.HashToUInt32(typed));
        stream.Write(word);
    }

    private static int FindChunk(byte[] png, string type)
    {
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            if (System.Text.Encoding.ASCII.GetString(png, at + 4, 4) == type)
            {
                return at;
            }

            at += 12 + length;
        }

        throw new InvalidOperationException($"No {type} chunk.");
    }

    /// <summary>Rewrites a PNG with its image data spread over several IDAT chunks (CRCs recomputed).</summary>
    private static byte[] SplitImageData(byte[] png, int pieces)
    {
        using var stream = new MemoryStream();
        stream.Write(png, 0, 8);
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IDAT")
            {
                var size = (length + pieces - 1) / pieces;
                for (var start = 0; start < length; start += size)
                {
                    WriteChunk(stream, type, data.Slice(start, Math.Min(size, length - start)));
                }
            }
            else
            {
                WriteChunk(stream, type, data);
            }

            at += 12 + length;
        }

        return stream.ToArray();
    }
}
