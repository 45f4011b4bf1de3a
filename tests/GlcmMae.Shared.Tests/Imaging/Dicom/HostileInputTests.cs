using System.Buffers.Binary;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Imaging.Dicom.Codecs;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

/// <summary>The damaged files that once hurt serving, and the decoding defects found against public corpora.</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_lossless_jpeg_frame_that_makes_jpeglibrary_divide_by_zero_is_corrupt_file()
    {
        var file = DicomFile.Parse(await HostileScans.LosslessJpegWithZeroSamplingAsync(_folder));
        var pixelData = DicomPixelData.Create(file);
        var frame = file.Dataset.Get(DicomTags.PixelData)!.Fragments!.Fragments[0];

        // The reproduction: the third-party decoder itself throws an untyped exception on this frame. Lossless frames now
        // go to LosslessJpegDecoder, which refuses the sampling factor from the frame header.
        Assert.Throws<DivideByZeroException>(() => JpegCodec.Decode(frame, pixelData));
        var error = Assert.Throws<DicomFormatException>(() => DicomImageDecoder.Decode(file, pixelData, 0));
        Assert.Equal("CorruptFile", error.ErrorCode);
        Assert.Contains("sampling factors 0x00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jpeg_2000_header_that_claims_a_huge_image_is_refused_before_it_is_decoded()
    {
        var file = DicomFile.Parse(await HostileScans.Jpeg2000WithHugeSizAsync(_folder));

        var error = Assert.Throws<DicomFormatException>(() => DicomImageDecoder.Decode(file));

        // Refused from the SIZ header (a decoded frame would be refused for its component size instead).
        Assert.Equal("CorruptFile", error.ErrorCode);
        Assert.Contains("codestream is 1049088x512 but the dataset says 512x512", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(128, 128, 0, 1, "cut into 16384 tiles; at most 4096")]
    [InlineData(8, 16, 0, 16, "the dataset says 8x8")]
    [InlineData(8, 8, 9, 8, "SIZ grid is invalid")]
    public void Jpeg_2000_siz_headers_are_checked_against_the_dataset_and_the_tile_limit(int datasetSide, uint sizSide, uint offset, uint tile, string expected)
    {
        var dataset = SyntheticDicom.Grayscale(datasetSide, datasetSide, 8, 8, false, (_, _, _) => 0);
        var pixelData = DicomPixelData.Create(DicomFile.Parse(DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian)));

        var error = Assert.Throws<DicomFormatException>(() => Jpeg2000Header.Read(Siz(sizSide, sizSide, offset, tile)).RequireMatches(pixelData));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lossless_jpeg_frame_whose_huffman_table_has_no_codes_is_refused_before_jpeglibrary_builds_it()
    {
        // Found by bench fuzz: a zeroed DHT kept JpegLibrary busy for about 4 s on a 1.6 KB file.
        var bytes = await HostileScans.LosslessJpegWithZeroSamplingAsync(_folder);
        var dht = bytes.AsSpan().IndexOf((byte[])[0xFF, 0xC4]);
        bytes[dht + 4] = 0x00;
        bytes.AsSpan(dht + 5, 16).Clear();
        var sof = bytes.AsSpan().IndexOf((byte[])[0xFF, 0xC3]);
        bytes[sof + 11] = 0x11;

        var error = Assert.Throws<DicomFormatException>(() => DicomImageDecoder.Decode(DicomFile.Parse(bytes)));

        Assert.Contains("a Huffman table declares 0 codes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0 }, null)]
    [InlineData(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "more codes of length 1 than fit")]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "declares 0 codes")]
    public void Huffman_tables_follow_libjpegs_rule(byte[] counts, string? expected)
    {
        var total = counts.Sum(c => c);
        // Garbage before the table, as decoders skip it to the next marker (found by bench fuzz: a zeroed run hid the DHT).
        byte[] jpeg = [0xFF, 0xD8, 0, 0, 0, 0, 0xFF, 0xC4, (byte)((19 + total) >> 8), (byte)(19 + total), 0x00, .. counts, .. new byte[total], 0xFF, 0xDA];

        var error = Record.Exception(() => JpegHuffmanTables.RequireValid(jpeg));

        if (expected is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(expected, Assert.IsType<DicomFormatException>(error).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_decode_past_its_deadline_is_given_up_as_corrupt_file_and_errors_keep_their_type()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var late = Assert.Throws<DicomFormatException>(() => DecodeDeadline.Run(() => { Thread.Sleep(5000); return []; }, TimeSpan.FromMilliseconds(100), "JPEG-LS"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), "the caller waited for the decoder");
        Assert.Contains("took longer than 100 ms", late.Message, StringComparison.Ordinal);
        Assert.Throws<DivideByZeroException>(() => DecodeDeadline.Run(() => throw new DivideByZeroException(), TimeSpan.FromSeconds(5), "JPEG-LS"));
        Assert.Equal([1, 2], DecodeDeadline.Run(() => [1, 2], TimeSpan.FromSeconds(5), "JPEG-LS"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Unsigned_32_bit_colour_samples_keep_values_above_two_to_the_31(bool rle)
    {
        uint[] values = [0xFFFFFFFF, 0x80000000, 0x7FFFFFFF, 0, 1, 123456789];
        var dataset = SyntheticDicom.Grayscale(1, 2, 8, 8, false, (_, _, _) => 0);
        dataset.SetImagePixelModule(1, 2, 32, 32, false, samplesPerPixel: 3, photometric: "RGB");
        var pixels = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(pixels.AsSpan(i * 4), values[i]);
        }

        dataset.Set(DicomElementFactory.Bytes(DicomTags.PixelData, DicomVR.OB, pixels));

        var image = DicomImageDecoder.Decode(DicomFile.Parse(DicomWriter.Write(dataset, rle ? DicomTransferSyntax.RleLossless : DicomTransferSyntax.ExplicitVRLittleEndian)));

        Assert.Equal(values.Select(v => (float)v).ToArray(), image.Pixels[..values.Length]);
        Assert.Equal(4294967295f, (float)image.MaxValue);
    }

    [Fact]
    public void Unsigned_32_bit_grayscale_samples_keep_values_above_two_to_the_31()
    {
        var dataset = SyntheticDicom.Grayscale(1, 2, 8, 8, false, (_, _, _) => 0);
        dataset.SetImagePixelModule(1, 2, 32, 32, false);
        dataset.Set(DicomElementFactory.Bytes(DicomTags.PixelData, DicomVR.OB, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0x80 }));

        var image = DicomImageDecoder.Decode(DicomFile.Parse(DicomWriter.Write(dataset, DicomTransferSyntax.RleLossless)));

        Assert.Equal([4294967295f, 2147483648f], image.Pixels[..2]);
    }

    private static byte[] Siz(uint width, uint height, uint offset, uint tile)
    {
        var siz = new byte[4 + 38 + 3];
        siz[0] = 0xFF;
        siz[1] = 0x4F;
        siz[2] = 0xFF;
        siz[3] = 0x51;
        BinaryPrimitives.WriteUInt16BigEndian(siz.AsSpan(4), 38 + 3);
        BinaryPrimitives.WriteUInt32BigEndian(siz.AsSpan(8), width);
        BinaryPrimitives.WriteUInt32BigEndian(siz.AsSpan(12), height);
        BinaryPrimitives.WriteUInt32BigEndian(siz.AsSpan(16), offset);
        BinaryPrimitives.WriteUInt32BigEndian(siz.AsSpan(24), tile);
        BinaryPrimitives.WriteUInt32BigEndian(siz.AsSpan(28), tile);
        BinaryPrimitives.WriteUInt16BigEndian(siz.AsSpan(40), 1);
        siz[42] = 7;
        siz[43] = 1;
        siz[44] = 1;
        return siz;
    }

    public void Dispose() => _folder.Dispose();
}
