using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

public sealed class DicomRoundTripTests
{
    private static int CtValue(int frame, int row, int column) => ((row * 37) + (column * 11) + (frame * 101)) % 4096 - 1024;

    [Fact]
    public void Signed_ct_with_rescale_decodes_to_hounsfield_units()
    {
        var dataset = SyntheticDicom.Grayscale(16, 12, 16, 12, signed: true, CtValue);
        dataset.Set(DicomElementFactory.Text(DicomTags.RescaleSlope, DicomVR.DS, "2"));
        dataset.Set(DicomElementFactory.Text(DicomTags.RescaleIntercept, DicomVR.DS, "-1024"));
        var file = DicomFile.Parse(DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian));

        var image = DicomImageDecoder.Decode(file);

        for (var r = 0; r < 16; r++)
        {
            for (var c = 0; c < 12; c++)
            {
                Assert.Equal((CtValue(0, r, c) * 2) - 1024, image.Pixels[(r * 12) + c]);
            }
        }

        Assert.Equal((-2048 * 2) - 1024, image.MinValue);
        Assert.Equal((2047 * 2) - 1024, image.MaxValue);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2")]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.1.2.1.99")]
    [InlineData("1.2.840.10008.1.2.5")]
    public void Every_written_syntax_reads_back_the_same_values(string transferSyntaxUid)
    {
        var syntax = DicomTransferSyntax.Lookup(transferSyntaxUid);
        var dataset = SyntheticDicom.Grayscale(9, 7, 16, 16, signed: true, CtValue, frames: 2).WithPatient();

        var file = DicomFile.Parse(DicomWriter.Write(dataset, syntax));

        Assert.Equal(syntax, file.TransferSyntax);
        Assert.Equal("Doe^Jane", file.Dataset.GetString(DicomTags.PatientName));
        Assert.Equal(CtValue(1, 8, 6), DicomImageDecoder.Decode(file, 1).Pixels[^1]);
    }

    [Fact]
    public void Bits_outside_bits_stored_are_masked_off()
    {
        // High bits above BitsStored may hold overlay or garbage (PS3.5 8.1.1): only the stored bits count.
        var dataset = SyntheticDicom.Grayscale(2, 2, 16, 12, signed: false, (_, r, c) => 0xF000 | ((r * 2) + c + 100));
        var image = DicomImageDecoder.Decode(DicomFile.Parse(DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian)));

        Assert.Equal([100f, 101f, 102f, 103f], image.Pixels);
    }

    [Fact]
    public void Rle_written_multi_frame_reads_back_every_frame()
    {
        var dataset = SyntheticDicom.Grayscale(20, 18, 16, 16, signed: true, CtValue, frames: 3);
        var file = DicomFile.Parse(DicomWriter.Write(dataset, DicomTransferSyntax.RleLossless));

        Assert.Equal(DicomTransferSyntax.RleLossless, file.TransferSyntax);
        for (var f = 0; f < 3; f++)
        {
            var image = DicomImageDecoder.Decode(file, f);
            Assert.Equal(CtValue(f, 19, 17), image.Pixels[^1]);
            Assert.Equal(CtValue(f, 3, 5), image.Pixels[(3 * 18) + 5]);
        }
    }

    [Fact]
    public void Monochrome1_is_reported_for_inversion()
    {
        var dataset = SyntheticDicom.Grayscale(4, 4, 8, 8, signed: false, (_, r, c) => r + c, photometric: "MONOCHROME1");
        var image = DicomImageDecoder.Decode(DicomFile.Parse(DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian)));

        Assert.Equal(ScanPhotometric.Monochrome1, image.Photometric);
    }

    [Fact]
    public void Window_centers_and_function_are_read()
    {
        var dataset = SyntheticDicom.Grayscale(4, 4, 16, 12, signed: true, CtValue);
        dataset.Set(DicomElementFactory.Text(DicomTags.WindowCenter, DicomVR.DS, "40\\-600"));
        dataset.Set(DicomElementFactory.Text(DicomTags.WindowWidth, DicomVR.DS, "400\\1500"));
        dataset.Set(DicomElementFactory.Text(DicomTags.VoiLutFunction, DicomVR.CS, "SIGMOID"));

        var image = DicomImageDecoder.Decode(DicomFile.Parse(DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian)));

        Assert.Equal([new VoiWindow(40, 400), new VoiWindow(-600, 1500)], image.Voi.Windows);
        Assert.Equal(VoiLutFunction.Sigmoid, image.Voi.Function);
    }

    [Fact]
    public void Metadata_only_read_stops_before_pixel_data()
    {
        var bytes = DicomWriter.Write(SyntheticDicom.Grayscale(64, 64, 16, 16, false, CtValue), DicomTransferSyntax.ExplicitVRLittleEndian);

        var file = DicomFile.Parse(bytes, DicomReadMode.MetadataOnly);

        Assert.True(file.PixelDataSkipped);
        Assert.Equal("CT", file.Dataset.GetString(DicomTags.Modality));
        var error = Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(file));
        Assert.Contains("metadata-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rgb_values_are_kept_per_channel()
    {
        var dataset = SyntheticDicom.Rgb(3, 5, (r, c, s) => (r * 50) + (c * 10) + s);
        var image = DicomImageDecoder.Decode(DicomFile.Parse(DicomWriter.Write(dataset, DicomTransferSyntax.RleLossless)));

        Assert.Equal(3, image.Channels);
        Assert.Equal([(2 * 50) + 40, (2 * 50) + 41, (2 * 50) + 42], image.Pixels[^3..]);
    }
}
