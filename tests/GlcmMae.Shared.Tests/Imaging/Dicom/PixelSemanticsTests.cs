using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

public sealed class PixelSemanticsTests
{
    private static ScanImage Decode(DicomDataset dataset, int frame = 0) =>
        DicomImageDecoder.Decode(DicomFile.Parse(DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian)), frame);

    private static DicomDataset WithPixels(DicomDataset dataset, string photometric, int samples, byte[] pixels, int bitsAllocated = 8)
    {
        dataset.Set(DicomElementFactory.Text(DicomTags.PhotometricInterpretation, DicomVR.CS, photometric));
        dataset.Set(DicomElementFactory.UInt16(DicomTags.SamplesPerPixel, (ushort)samples));
        dataset.Set(DicomElementFactory.UInt16(DicomTags.BitsAllocated, (ushort)bitsAllocated));
        dataset.Set(DicomElementFactory.Bytes(DicomTags.PixelData, bitsAllocated == 16 ? DicomVR.OW : DicomVR.OB, pixels));
        return dataset;
    }

    private static byte[] Words(IEnumerable<int> values) =>
        values.SelectMany(v => new[] { (byte)v, (byte)(v >> 8) }).ToArray();

    [Fact]
    public void Palette_color_maps_indices_through_the_three_luts()
    {
        var dataset = SyntheticDicom.Grayscale(2, 2, 8, 8, false, (_, r, c) => (r * 2) + c);
        WithPixels(dataset, "PALETTE COLOR", 1, [0, 1, 2, 3]);
        foreach (var (descriptor, data, scale) in new[]
        {
            (DicomTags.RedPaletteColorLookupTableDescriptor, DicomTags.RedPaletteColorLookupTableData, 1000),
            (DicomTags.GreenPaletteColorLookupTableDescriptor, DicomTags.GreenPaletteColorLookupTableData, 2000),
            (DicomTags.BluePaletteColorLookupTableDescriptor, DicomTags.BluePaletteColorLookupTableData, 3000),
        })
        {
            dataset.Set(DicomElementFactory.UInt16(descriptor, 4, 0, 16));
            dataset.Set(DicomElementFactory.Bytes(data, DicomVR.OW, Words(Enumerable.Range(0, 4).Select(i => i * scale))));
        }

        var image = Decode(dataset);

        Assert.Equal(ScanPhotometric.Rgb, image.Photometric);
        Assert.Equal([3000f, 6000f, 9000f], image.Pixels[^3..]);
        Assert.Equal(65535, image.MaxValue);
    }

    [Fact]
    public void Segmented_palette_expands_discrete_and_linear_segments()
    {
        var dataset = SyntheticDicom.Grayscale(1, 6, 8, 8, false, (_, _, c) => c);
        WithPixels(dataset, "PALETTE COLOR", 1, [0, 1, 2, 3, 4, 5]);
        // Discrete [0, 10], then a linear ramp over 4 entries up to 50: 0, 10, 20, 30, 40, 50.
        var segments = Words([0, 2, 0, 10, 1, 4, 50]);
        foreach (var (descriptor, segmented) in new[]
        {
            (DicomTags.RedPaletteColorLookupTableDescriptor, DicomTags.SegmentedRedPaletteColorLookupTableData),
            (DicomTags.GreenPaletteColorLookupTableDescriptor, DicomTags.SegmentedGreenPaletteColorLookupTableData),
            (DicomTags.BluePaletteColorLookupTableDescriptor, DicomTags.SegmentedBluePaletteColorLookupTableData),
        })
        {
            dataset.Set(DicomElementFactory.UInt16(descriptor, 6, 0, 16));
            dataset.Set(DicomElementFactory.Bytes(segmented, DicomVR.OW, segments));
        }

        var image = Decode(dataset);

        Assert.Equal([0f, 10f, 20f, 30f, 40f, 50f], Enumerable.Range(0, 6).Select(i => image.Pixels[i * 3]).ToArray());
    }

    [Fact]
    public void Ybr_full_is_converted_to_rgb()
    {
        // Forward transform of PS3.3 C.7.6.3.1.2 for RGB (200, 100, 50).
        const double r = 200, g = 100, b = 50;
        var y = (0.299 * r) + (0.587 * g) + (0.114 * b);
        var cb = (-0.168736 * r) - (0.331264 * g) + (0.5 * b) + 128;
        var cr = (0.5 * r) - (0.418688 * g) - (0.081312 * b) + 128;
        var dataset = SyntheticDicom.Rgb(1, 1, (_, _, _) => 0);
        WithPixels(dataset, "YBR_FULL", 3, [(byte)Math.Round(y), (byte)Math.Round(cb), (byte)Math.Round(cr)]);

        var image = Decode(dataset);

        Assert.InRange(image.Pixels[0], 199, 201);
        Assert.InRange(image.Pixels[1], 99, 101);
        Assert.InRange(image.Pixels[2], 49, 51);
    }

    [Fact]
    public void Native_ybr_full_422_shares_chroma_between_pixel_pairs()
    {
        var dataset = SyntheticDicom.Rgb(1, 2, (_, _, _) => 0);
        // Y1 Y2 Cb Cr with neutral chroma: two gray pixels.
        WithPixels(dataset, "YBR_FULL_422", 3, [50, 150, 128, 128]);

        var image = Decode(dataset);

        Assert.Equal([50f, 50f, 50f, 150f, 150f, 150f], image.Pixels);
    }

    [Fact]
    public void Sixteen_bit_colour_keeps_its_stored_bits_and_range()
    {
        // 12 stored bits in 16-bit words, with garbage above HighBit that must be masked away.
        var dataset = new DicomDataset().SetImagePixelModule(1, 2, 16, 12, false, samplesPerPixel: 3, photometric: "RGB");
        ushort[] stored = [0x0FFF, 0xF001, 0x0800, 0x0000, 0x1123, 0x0456];
        dataset.Set(DicomElementFactory.Bytes(DicomTags.PixelData, DicomVR.OW, stored.SelectMany(BitConverter.GetBytes).ToArray()));

        var image = Decode(dataset);

        Assert.Equal([4095f, 1f, 2048f, 0f, 291f, 1110f], image.Pixels);
        Assert.Equal(4095, image.MaxValue);
    }

    [Fact]
    public void Planar_configuration_1_is_interleaved()
    {
        var dataset = SyntheticDicom.Rgb(1, 2, (_, _, _) => 0);
        WithPixels(dataset, "RGB", 3, [1, 2, 10, 20, 100, 200]);
        dataset.Set(DicomElementFactory.UInt16(DicomTags.PlanarConfiguration, 1));

        Assert.Equal([1f, 10f, 100f, 2f, 20f, 200f], Decode(dataset).Pixels);
    }

    [Fact]
    public void One_bit_frames_unpack_least_significant_bit_first_across_frames()
    {
        var dataset = SyntheticDicom.Grayscale(2, 3, 8, 8, false, (_, _, _) => 0, frames: 2);
        dataset.Set(DicomElementFactory.UInt16(DicomTags.BitsStored, 1));
        dataset.Set(DicomElementFactory.UInt16(DicomTags.HighBit, 0));
        // Frame 0 bits 0-5: 1,0,1,1,0,0; frame 1 bits 6-11: 1,1,1,0,0,1.
        WithPixels(dataset, "MONOCHROME2", 1, [0b1100_1101, 0b0000_1001], bitsAllocated: 1);

        Assert.Equal([1f, 0f, 1f, 1f, 0f, 0f], Decode(dataset, 0).Pixels);
        Assert.Equal([1f, 1f, 1f, 0f, 0f, 1f], Decode(dataset, 1).Pixels);
    }

    [Fact]
    public void Modality_lut_sequence_takes_precedence_over_rescale()
    {
        var dataset = SyntheticDicom.Grayscale(1, 3, 16, 12, false, (_, _, c) => c + 10);
        dataset.Set(DicomElementFactory.Text(DicomTags.RescaleSlope, DicomVR.DS, "100"));
        var item = new DicomDataset();
        item.Set(DicomElementFactory.UInt16(DicomTags.LutDescriptor, 2, 10, 16));
        item.Set(DicomElementFactory.Bytes(DicomTags.LutData, DicomVR.OW, Words([500, 700])));
        dataset.Set(DicomElement.CreateSequence(DicomTags.ModalityLutSequence, [item]));

        // 10 -> 500, 11 -> 700, 12 is past the table and clamps to its last entry.
        Assert.Equal([500f, 700f, 700f], Decode(dataset).Pixels);
    }

    [Fact]
    public void Missing_rescale_tags_mean_identity()
    {
        var image = Decode(SyntheticDicom.Grayscale(1, 2, 16, 16, false, (_, _, c) => 40000 + c));

        Assert.Equal([40000f, 40001f], image.Pixels);
    }

    [Fact]
    public void Unsupported_syntax_names_itself_and_the_remedy()
    {
        var rle = DicomFile.Parse(DicomWriter.Write(SyntheticDicom.Grayscale(4, 4, 8, 8, false, (_, r, c) => r + c), DicomTransferSyntax.RleLossless));
        // The same encapsulated pixels labelled MPEG2 Main Profile (video), which GlcmMae does not decode.
        var video = new DicomFile(rle.Meta, rle.Dataset, DicomTransferSyntax.Lookup("1.2.840.10008.1.2.4.100"), stoppedAtPixelData: false);

        var error = Assert.Throws<UnsupportedTransferSyntaxException>(() => DicomImageDecoder.Decode(video));

        Assert.Equal("UnsupportedTransferSyntax", error.ErrorCode);
        Assert.Contains("1.2.840.10008.1.2.4.100", error.Message, StringComparison.Ordinal);
        Assert.Contains("gdcmconv --raw", error.Message, StringComparison.Ordinal);
    }
}
