using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Raster;

/// <summary>
/// JPEG files beyond libjpeg-turbo's 8-bit API keep their precision: 12-bit DCT files (common from CR, DX and
/// mammography exports) and lossless ones, checked against dcmtk, which encoded them and decodes them with the IJG code.
/// </summary>
public sealed class PreciseJpegFileTests : IDisposable
{
    private const int Rows = 40;
    private const int Columns = 56;
    private readonly TempFolder _folder = new();

    private static int Value(int row, int column) => (row * 83) + (column * 29) + ((row * column) % 97);

    [Fact]
    public async Task A_12_bit_jpeg_file_decodes_at_12_bits_within_two_levels_of_dcmtk()
    {
        var (jpeg, reference) = await EncodeAsync("+ee");

        var document = ScanDocument.Open(jpeg);
        var image = document.DecodeFrame(0);

        Assert.Equal(ScanFormat.Jpeg, document.Metadata.Format);
        Assert.Equal(12, document.Metadata.BitsStored);
        Assert.Equal(4095, image.MaxValue);
        Assert.True(image.Pixels.Take(Rows * Columns).Max() > 1000, "the samples were reduced to 8 bits");
        // Lossy: compared with the IJG decoder's output of the same codestream (JpegLibrary's IDCT rounds differently).
        for (var i = 0; i < Rows * Columns; i++)
        {
            Assert.InRange(image.Pixels[i] - reference[i], -2, 2);
        }
    }

    [Fact]
    public async Task A_lossless_jpeg_file_decodes_to_the_original_samples()
    {
        var (jpeg, _) = await EncodeAsync("+e1");

        var image = ScanDocument.Open(jpeg).DecodeFrame(0);

        // dcmcjpeg codes the 12-bit samples losslessly at the 16-bit precision they are stored in.
        Assert.Equal(65535, image.MaxValue);
        Assert.Equal(Enumerable.Range(0, Rows * Columns).Select(i => (float)Value(i / Columns, i % Columns)).ToArray(), image.Pixels[..(Rows * Columns)]);
    }

    /// <summary>Encodes a 12-bit image with dcmcjpeg; returns its codestream as a file and dcmdjpeg's decode of it.</summary>
    private async Task<(byte[] Jpeg, float[] Reference)> EncodeAsync(string process)
    {
        var source = _folder.File("source.dcm");
        var encoded = _folder.File("encoded.dcm");
        var decoded = _folder.File("decoded.dcm");
        await File.WriteAllBytesAsync(source, DicomWriter.Write(SyntheticDicom.Grayscale(Rows, Columns, 16, 12, false, (_, r, c) => Value(r, c)), DicomTransferSyntax.ExplicitVRLittleEndian));
        await ExternalTool.RunAsync("dcmcjpeg", process, source, encoded);
        await ExternalTool.RunAsync("dcmdjpeg", encoded, decoded);
        var jpeg = DicomFile.Parse(await File.ReadAllBytesAsync(encoded)).Dataset.Get(DicomTags.PixelData)!.Fragments!.Fragments[0].ToArray();
        var reference = DicomImageDecoder.Decode(DicomFile.Parse(await File.ReadAllBytesAsync(decoded))).Pixels[..(Rows * Columns)];
        return (jpeg, reference);
    }

    public void Dispose() => _folder.Dispose();
}
