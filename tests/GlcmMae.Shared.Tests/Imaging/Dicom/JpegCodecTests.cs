using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Imaging.Dicom.Codecs;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

/// <summary>JPEG files made by dcmtk's dcmcjpeg: lossless must be exact, lossy close to the source and to dcmtk's own decoder.</summary>
public sealed class JpegCodecTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static int Smooth(int row, int column, int max) =>
        (int)Math.Round((max / 2.0) + (max / 3.0 * Math.Sin(row / 9.0) * Math.Cos(column / 13.0)));

    public static TheoryData<string, int, int, string, string[]> Lossless => new()
    {
        { "SV1, 16-bit", 16, 16, "1.2.840.10008.1.2.4.70", ["+e1"] },
        { "predictor 4, 16-bit", 16, 16, "1.2.840.10008.1.2.4.57", ["+el", "+sv", "4"] },
        { "SV1, 12-bit", 16, 12, "1.2.840.10008.1.2.4.70", ["+e1"] },
        { "SV1, 8-bit", 8, 8, "1.2.840.10008.1.2.4.70", ["+e1"] },
    };

    [Theory]
    [MemberData(nameof(Lossless))]
    public async Task Lossless_jpeg_decodes_exactly(string name, int bitsAllocated, int bitsStored, string syntax, string[] options)
    {
        Assert.NotNull(name);
        var max = (1 << bitsStored) - 1;
        var file = await EncodeAsync(SyntheticDicom.Grayscale(37, 45, bitsAllocated, bitsStored, false, (_, r, c) => (Smooth(r, c, max) + (r * c)) % (max + 1)), options);

        Assert.Equal(syntax, file.TransferSyntax.Uid);
        var image = DicomImageDecoder.Decode(file);
        var expected = Enumerable.Range(0, 37 * 45).Select(i => (float)((Smooth(i / 45, i % 45, max) + ((i / 45) * (i % 45))) % (max + 1))).ToArray();
        Assert.Equal(expected, image.Pixels);
    }

    [Theory]
    [InlineData(8, 8, "+eb", "1.2.840.10008.1.2.4.50")]
    [InlineData(16, 12, "+ee", "1.2.840.10008.1.2.4.51")]
    public async Task Lossy_grayscale_jpeg_is_close_to_the_source_and_to_dcmtk(int bitsAllocated, int bitsStored, string option, string syntax)
    {
        var max = (1 << bitsStored) - 1;
        var source = SyntheticDicom.Grayscale(64, 48, bitsAllocated, bitsStored, false, (_, r, c) => Smooth(r, c, max));
        // +sr keeps the stored range (dcmtk otherwise stretches min..max before encoding).
        var file = await EncodeAsync(source, [option, "+q", "95", "+sr"]);
        var reference = await DcmtkDecodeAsync();

        Assert.Equal(syntax, file.TransferSyntax.Uid);
        var ours = DicomImageDecoder.Decode(file).Pixels;
        var expected = Enumerable.Range(0, 64 * 48).Select(i => (float)Smooth(i / 48, i % 48, max)).ToArray();
        Assert.True(Psnr(expected, ours, max) > 40, $"PSNR {Psnr(expected, ours, max):F1} dB");
        // 8-bit frames go to libjpeg-turbo, whose accurate IDCT is the IJG reference's that dcmtk uses: the same values.
        // 12-bit ones go to JpegLibrary, whose IDCT rounds a little differently.
        var tolerance = bitsStored == 8 ? 0 : max / 255.0 * 2;
        Assert.True(MaxDifference(reference.Pixels, ours) <= tolerance, $"differs from dcmtk by {MaxDifference(reference.Pixels, ours)}");
    }

    [Theory]
    [InlineData("+s2", "YBR_FULL_422", 8)]
    [InlineData("+n1", "YBR_FULL", 8)]
    [InlineData("+s4", "YBR_FULL", 1)]
    [InlineData("+cr", "RGB", 0)]
    public async Task Baseline_colour_matches_dcmtk_after_colour_conversion(string option, string photometric, int tolerance)
    {
        var source = SyntheticDicom.Rgb(48, 64, (r, c, s) => Smooth(r + (s * 7), c + (s * 11), 255));
        var file = await EncodeAsync(source, ["+eb", option, "+q", "95", "+sr"]);
        var reference = await DcmtkDecodeAsync();

        Assert.Equal(photometric, file.Dataset.GetString(DicomTags.PhotometricInterpretation));
        var ours = DicomImageDecoder.Decode(file);
        Assert.Equal(ScanPhotometric.Rgb, ours.Photometric);
        var expected = Enumerable.Range(0, 48 * 64 * 3).Select(i => (float)Smooth((i / 3 / 64) + (i % 3 * 7), (i / 3 % 64) + (i % 3 * 11), 255)).ToArray();
        Assert.True(Psnr(expected, ours.Pixels, 255) > 35, $"PSNR {Psnr(expected, ours.Pixels, 255):F1} dB");
        // Subsampled chroma: dcmtk upsamples with a triangle filter, we replicate (as JpegLibrary did), a few levels
        // apart. Full chroma: only the YCbCr-to-RGB rounding differs. RGB as coded: the same values.
        Assert.True(MaxDifference(reference.Pixels, ours.Pixels) <= tolerance, $"differs from dcmtk by {MaxDifference(reference.Pixels, ours.Pixels)}");
    }

    [Fact]
    public async Task Eight_bit_jpeg_in_16_bit_words_still_decodes()
    {
        // Outside the standard (baseline JPEG has BitsAllocated 8) but written by some devices: JpegLibrary takes it.
        const int rows = 24;
        const int columns = 40;
        var jpeg = await LibjpegTools.EncodeAsync(_folder, rows, columns, 1, (r, c, _) => (byte)Smooth(r, c, 255), "-quality", "95");
        var dataset = SyntheticDicom.Grayscale(rows, columns, 16, 8, false, (_, _, _) => 0);

        var file = DicomFile.Parse(DicomWriter.WriteEncapsulated(dataset, DicomTransferSyntax.JpegBaseline, [jpeg]));
        var pixels = DicomImageDecoder.Decode(file).Pixels;

        var expected = Enumerable.Range(0, rows * columns).Select(i => (float)Smooth(i / columns, i % columns, 255)).ToArray();
        Assert.True(Psnr(expected, pixels, 255) > 40, $"PSNR {Psnr(expected, pixels, 255):F1} dB");
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08 }, true)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xFF, 0xC2, 0x00, 0x0B, 0x08 }, true)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xC1, 0x00, 0x0B, 0x0C }, false)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC3, 0x00, 0x0B, 0x08 }, false)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x0B, 0x08 }, false)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, false)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00 }, false)]
    public void Only_8_bit_dct_frames_go_to_libjpeg_turbo(byte[] frame, bool handled)
    {
        Assert.Equal(handled, TurboJpegCodec.Handles(frame));
    }

    [Fact]
    public async Task Multi_frame_jpeg_without_offset_table_finds_each_frame()
    {
        // -ot leaves the Basic Offset Table empty; frames must be found from the JPEG start markers.
        var file = await EncodeAsync(SyntheticDicom.Grayscale(16, 24, 16, 12, false, (f, r, c) => (f * 1000) + (r * 24) + c, frames: 3), ["+e1", "-ot"]);

        Assert.Empty(file.Dataset.Get(DicomTags.PixelData)!.Fragments!.BasicOffsetTable);
        for (var f = 0; f < 3; f++)
        {
            Assert.Equal((f * 1000) + (15 * 24) + 23, DicomImageDecoder.Decode(file, f).Pixels[^1]);
        }
    }

    [Fact]
    public async Task Damaged_jpeg_gives_a_typed_error()
    {
        var file = await EncodeAsync(SyntheticDicom.Grayscale(32, 32, 8, 8, false, (_, r, c) => Smooth(r, c, 255)), ["+eb"]);
        var bytes = await File.ReadAllBytesAsync(_folder.File(DcmtkJpegTools.EncodedFile));
        var pixelStart = bytes.Length - 200;
        Array.Fill(bytes, (byte)0xFF, pixelStart, 120);

        Assert.NotNull(file);
        Assert.ThrowsAny<ImagingException>(() => DicomImageDecoder.Decode(DicomFile.Parse(bytes)));
    }

    private Task<DicomFile> EncodeAsync(DicomDataset dataset, string[] options) => DcmtkJpegTools.EncodeAsync(_folder, dataset, options);

    private async Task<ScanImage> DcmtkDecodeAsync() => DicomImageDecoder.Decode(await DcmtkJpegTools.DecodeAsync(_folder));

    private static double Psnr(float[] expected, float[] actual, double max)
    {
        var mse = expected.Zip(actual, (a, b) => (a - b) * (double)(a - b)).Average();
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(max * max / mse);
    }

    private static double MaxDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }

    public void Dispose() => _folder.Dispose();
}
