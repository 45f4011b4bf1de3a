using System.Buffers.Binary;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Imaging.Dicom.Codecs;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

/// <summary>
/// LosslessJpegDecoder on streams from dcmtk's encoder (every predictor, precision and point transform it writes, against
/// the source and dcmdjpeg) and from <see cref="LosslessJpegWriter"/> (restart intervals, one scan per component, every
/// difference category, against the source and dcmdjpeg), and on damaged streams.
/// </summary>
/// <remarks>
/// JpegLibrary, which decoded these frames before, differs from dcmdjpeg on predictors other than 1 and 4 (it predicts
/// an interval's first row with the scan's predictor), on point transforms (it leaves the samples shifted) and on
/// restart intervals, so it is no reference here.
/// </remarks>
public sealed class LosslessJpegDecoderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public static TheoryData<int, int, int> DcmtkLayouts()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var bits in new[] { 8, 12, 16 })
        {
            for (var predictor = 1; predictor <= 7; predictor++)
            {
                data.Add(bits, predictor, 0);
            }

            data.Add(bits, 6, 3);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DcmtkLayouts))]
    public async Task Dcmtk_lossless_frames_decode_to_the_source_and_to_dcmdjpeg(int bitsStored, int predictor, int pointTransform)
    {
        var bitsAllocated = bitsStored > 8 ? 16 : 8;
        var max = (1 << bitsStored) - 1;
        int Value(int r, int c) => (int)((((max / 2.0) + (max / 3.0 * Math.Sin(r / 5.0) * Math.Cos(c / 7.0))) + (r * 31 * c) + (c * 7)) % (max + 1));
        var file = await DcmtkJpegTools.EncodeAsync(_folder, SyntheticDicom.Grayscale(37, 45, bitsAllocated, bitsStored, false, (_, r, c) => Value(r, c)), ["+el", "+sv", $"{predictor}", "+pt", $"{pointTransform}"]);

        var ours = DecodeFirstFrame(file);
        var reference = DicomPixelData.Create(await DcmtkJpegTools.DecodeAsync(_folder)).GetFrame(0);

        Assert.Equal(reference, ours);
        Assert.Equal(reference, DicomPixelData.Create(file).GetFrame(0));
        var expected = Enumerable.Range(0, 37 * 45).Select(i => (Value(i / 45, i % 45) >> pointTransform) << pointTransform).ToArray();
        Assert.Equal(expected, Samples(ours, bitsAllocated));
    }

    [Theory]
    [InlineData("+e1")]
    [InlineData("+el", "+sv", "5")]
    public async Task Dcmtk_lossless_colour_frames_decode_to_the_source(params string[] options)
    {
        static int Value(int r, int c, int s) => ((r * 37) + (c * 11 * (s + 1)) + (r * c % 17)) % 256;
        var file = await DcmtkJpegTools.EncodeAsync(_folder, SyntheticDicom.Rgb(29, 33, Value), options);

        var ours = DecodeFirstFrame(file);

        Assert.Equal(Enumerable.Range(0, 29 * 33 * 3).Select(i => (byte)Value(i / 3 / 33, i / 3 % 33, i % 3)), ours);
    }

    public static TheoryData<int, int, int, int, int, bool> WriterLayouts => new()
    {
        // components, precision, predictor, point transform, restart rows, one scan per component
        { 1, 16, 1, 0, 0, false },
        { 1, 16, 4, 0, 1, false },
        { 1, 16, 7, 0, 3, false },
        { 1, 12, 5, 2, 2, false },
        { 1, 2, 6, 0, 0, false },
        { 1, 8, 3, 1, 4, false },
        { 3, 16, 2, 0, 0, false },
        { 3, 16, 6, 0, 2, false },
        { 3, 8, 7, 0, 0, true },
        { 3, 16, 4, 3, 1, true },
    };

    [Theory]
    [MemberData(nameof(WriterLayouts))]
    public async Task Every_layout_decodes_to_the_source_as_dcmdjpeg_decodes_it(int components, int precision, int predictor, int pointTransform, int restartRows, bool scanPerComponent)
    {
        const int width = 23;
        const int height = 17;
        // Uniform noise: neighbouring differences reach every category, 16 (a difference of exactly 32768) included.
        var random = new Random(precision + (predictor * 10) + (components * 100));
        var source = Enumerable.Range(0, width * height * components).Select(_ => (ushort)((random.Next(1 << precision) >> pointTransform) << pointTransform)).ToArray();
        source[1 * components] = (ushort)(precision == 16 && pointTransform == 0 ? 32768 + source[0] : source[1 * components]);
        var jpeg = LosslessJpegWriter.Encode(source, width, height, components, precision, predictor, pointTransform, restartRows, scanPerComponent);
        var frame = LosslessJpegDecoder.ReadFrame(jpeg)!;

        var decoded = new ushort[source.Length];
        LosslessJpegDecoder.Decode(jpeg, frame, decoded);

        Assert.Equal(source, decoded);
        var dataset = Dataset(width, height, components, precision > 8 ? 16 : 8, precision);
        await File.WriteAllBytesAsync(_folder.File(DcmtkJpegTools.EncodedFile), DicomWriter.WriteEncapsulated(dataset, DicomTransferSyntax.JpegLossless, [jpeg]));
        var reference = DicomPixelData.Create(await DcmtkJpegTools.DecodeAsync(_folder)).GetFrame(0);
        Assert.Equal(reference, LosslessJpegCodec.TryDecode(jpeg, DicomPixelData.Create(DicomFile.Parse(DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian)))));
    }

    [Fact]
    public void A_frame_cut_short_is_corrupt_file()
    {
        var jpeg = NoiseJpeg(restartRows: 0);
        var cut = jpeg[..(jpeg.Length / 2)].Concat(new byte[] { 0xFF, 0xD9 }).ToArray();

        var error = Assert.Throws<DicomFormatException>(() => LosslessJpegCodec.TryDecode(cut, PixelData(23, 17, 1, 16, 16)));

        Assert.Equal("CorruptFile", error.ErrorCode);
        Assert.Contains("ends before the last sample", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_restart_marker_is_corrupt_file()
    {
        var jpeg = NoiseJpeg(restartRows: 8);
        // Restarts before rows 8 (RST0) and 16 (RST1); the last one is lost.
        var rst = jpeg.AsSpan().LastIndexOf((byte[])[0xFF, 0xD1]);
        var damaged = jpeg[..rst].Concat(jpeg[(rst + 2)..]).ToArray();

        var error = Assert.Throws<DicomFormatException>(() => LosslessJpegCodec.TryDecode(damaged, PixelData(23, 17, 1, 16, 16)));

        Assert.Contains("restart marker before row 16", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(24, 17, 1, 16, "the dataset says 24x17 with 1 of 16 bits")]
    [InlineData(23, 17, 3, 16, "the dataset says 23x17 with 3 of 16 bits")]
    [InlineData(23, 17, 1, 8, "1 component(s) of 16 bits but the dataset says 23x17 with 1 of 8 bits")]
    public void A_frame_that_disagrees_with_the_dataset_is_refused_before_decoding(int columns, int rows, int components, int bitsAllocated, string expected)
    {
        var error = Assert.Throws<DicomFormatException>(() => LosslessJpegCodec.TryDecode(NoiseJpeg(0), PixelData(columns, rows, components, bitsAllocated, Math.Min(bitsAllocated, 16))));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_difference_category_above_16_in_a_table_is_corrupt_file()
    {
        var jpeg = NoiseJpeg(0);
        var dht = jpeg.AsSpan().IndexOf((byte[])[0xFF, 0xC4]);
        jpeg[dht + 4 + 1 + 16 + 16] = 17;

        var error = Assert.Throws<DicomFormatException>(() => LosslessJpegCodec.TryDecode(jpeg, PixelData(23, 17, 1, 16, 16)));

        Assert.Contains("difference category 17", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Frames_it_does_not_take_go_to_the_general_decoder()
    {
        var subsampled = NoiseJpeg(0);
        var sof = subsampled.AsSpan().IndexOf((byte[])[0xFF, 0xC3]);
        subsampled[sof + 11] = 0x22;
        var offRow = NoiseJpeg(restartRows: 2);
        var dri = offRow.AsSpan().IndexOf((byte[])[0xFF, 0xDD]);
        BinaryPrimitives.WriteUInt16BigEndian(offRow.AsSpan(dri + 4), 30);
        var baseline = new byte[] { 0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x11, 0x00, 0x17, 0x01, 0x01, 0x11, 0x00 };

        Assert.Null(LosslessJpegCodec.TryDecode(subsampled, PixelData(23, 17, 1, 16, 16)));
        Assert.Null(LosslessJpegCodec.TryDecode(offRow, PixelData(23, 17, 1, 16, 16)));
        Assert.Null(LosslessJpegCodec.TryDecode(baseline, PixelData(23, 17, 1, 8, 8)));
    }

    private static byte[] NoiseJpeg(int restartRows)
    {
        var random = new Random(5);
        var source = Enumerable.Range(0, 23 * 17).Select(_ => (ushort)random.Next(65536)).ToArray();
        return LosslessJpegWriter.Encode(source, 23, 17, 1, 16, predictor: 1, restartRows: restartRows);
    }

    private static DicomPixelData PixelData(int columns, int rows, int components, int bitsAllocated, int bitsStored) =>
        DicomPixelData.Create(DicomFile.Parse(DicomWriter.Write(Dataset(columns, rows, components, bitsAllocated, bitsStored), DicomTransferSyntax.ExplicitVRLittleEndian)));

    private static DicomDataset Dataset(int columns, int rows, int components, int bitsAllocated, int bitsStored)
    {
        var dataset = SyntheticDicom.Grayscale(rows, columns, bitsAllocated, bitsStored, false, (_, _, _) => 0)
            .SetImagePixelModule(rows, columns, bitsAllocated, bitsStored, false, samplesPerPixel: components, photometric: components == 1 ? "MONOCHROME2" : "RGB");
        dataset.Set(DicomElementFactory.Bytes(DicomTags.PixelData, bitsAllocated == 8 ? DicomVR.OB : DicomVR.OW, new byte[rows * columns * components * (bitsAllocated / 8)]));
        return dataset;
    }

    private static byte[] DecodeFirstFrame(DicomFile file)
    {
        var pixelData = DicomPixelData.Create(file);
        var fragments = file.Dataset.Get(DicomTags.PixelData)!.Fragments!.Fragments;
        return LosslessJpegCodec.TryDecode(fragments[0].Span, pixelData) ?? throw new InvalidOperationException("LosslessJpegCodec left the frame to JpegLibrary");
    }

    private static int[] Samples(byte[] frame, int bitsAllocated) =>
        bitsAllocated == 8 ? [.. frame.Select(b => (int)b)] : [.. Enumerable.Range(0, frame.Length / 2).Select(i => (int)BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(i * 2)))];

    public void Dispose() => _folder.Dispose();
}
