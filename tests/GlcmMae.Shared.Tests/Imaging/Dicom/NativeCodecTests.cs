using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Imaging.Dicom.Codecs;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

/// <summary>JPEG-LS and JPEG 2000 files made by dcmtk and gdcm, decoded through the system codec libraries.</summary>
public sealed class NativeCodecTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static int Value(int row, int column, int max) =>
        (int)((max / 2.0) + (max / 3.0 * Math.Sin(row / 5.0) * Math.Cos(column / 7.0)) + ((row * column) % 17));

    private static int Rgb(int row, int column, int sample) => ((row * 9) + (column * 5) + (sample * 60)) % 256;

    public static TheoryData<string, string[], int, int, bool, string> GrayscaleCases => new()
    {
        { "dcmcjpls", ["+el"], 16, 16, false, "1.2.840.10008.1.2.4.80" },
        { "dcmcjpls", ["+el"], 16, 12, true, "1.2.840.10008.1.2.4.80" },
        { "dcmcjpls", ["+el"], 8, 8, false, "1.2.840.10008.1.2.4.80" },
        { "gdcmconv", ["--jpegls"], 16, 16, false, "1.2.840.10008.1.2.4.80" },
        { "gdcmconv", ["--j2k"], 16, 16, false, "1.2.840.10008.1.2.4.90" },
        { "gdcmconv", ["--j2k"], 16, 12, true, "1.2.840.10008.1.2.4.90" },
        { "gdcmconv", ["--j2k"], 8, 8, false, "1.2.840.10008.1.2.4.90" },
    };

    [Theory]
    [MemberData(nameof(GrayscaleCases))]
    public async Task Lossless_grayscale_decodes_exactly(string tool, string[] options, int bitsAllocated, int bitsStored, bool signed, string syntax)
    {
        var max = (1 << (signed ? bitsStored - 1 : bitsStored)) - 1;
        var file = await EncodeAsync(tool, options, SyntheticDicom.Grayscale(29, 35, bitsAllocated, bitsStored, signed, (_, r, c) => Value(r, c, max) - (signed ? max / 2 : 0)));

        Assert.Equal(syntax, file.TransferSyntax.Uid);
        var expected = Enumerable.Range(0, 29 * 35).Select(i => (float)(Value(i / 35, i % 35, max) - (signed ? max / 2 : 0))).ToArray();
        Assert.Equal(expected, DicomImageDecoder.Decode(file).Pixels);
    }

    [Theory]
    [InlineData("dcmcjpls", new[] { "+el", "+il" })]
    [InlineData("dcmcjpls", new[] { "+el", "+is" })]
    [InlineData("dcmcjpls", new[] { "+el", "+in" })]
    [InlineData("gdcmconv", new[] { "--j2k" })]
    public async Task Lossless_rgb_decodes_exactly_in_every_interleave_mode(string tool, string[] options)
    {
        var file = await EncodeAsync(tool, options, SyntheticDicom.Rgb(24, 32, Rgb));

        var expected = Enumerable.Range(0, 24 * 32 * 3).Select(i => (float)Rgb(i / 3 / 32, i / 3 % 32, i % 3)).ToArray();
        Assert.Equal(expected, DicomImageDecoder.Decode(file).Pixels);
    }

    [Fact]
    public async Task Near_lossless_jpeg_ls_stays_within_its_deviation()
    {
        var file = await EncodeAsync("dcmcjpls", ["+en", "+md", "3"], SyntheticDicom.Grayscale(29, 35, 16, 12, false, (_, r, c) => Value(r, c, 4095)));

        Assert.Equal("1.2.840.10008.1.2.4.81", file.TransferSyntax.Uid);
        var decoded = DicomImageDecoder.Decode(file).Pixels;
        for (var i = 0; i < decoded.Length; i++)
        {
            Assert.InRange(decoded[i] - Value(i / 35, i % 35, 4095), -3, 3);
        }
    }

    [Theory]
    [InlineData(16, 65535)]
    [InlineData(8, 255)]
    public async Task Lossless_htj2k_from_openjph_decodes_exactly(int bits, int max)
    {
        const int rows = 29;
        const int columns = 35;
        var values = Enumerable.Range(0, rows * columns).Select(i => Value(i / columns, i % columns, max)).ToArray();
        var pgm = _folder.File("source.pgm");
        var codestream = _folder.File("source.j2c");
        var header = System.Text.Encoding.ASCII.GetBytes($"P5\n{columns} {rows}\n{max}\n");
        var samples = bits == 8 ? values.Select(v => (byte)v).ToArray() : values.SelectMany(v => new[] { (byte)(v >> 8), (byte)v }).ToArray();
        await File.WriteAllBytesAsync(pgm, [.. header, .. samples]);
        await ExternalTool.RunAsync("ojph_compress", ["-i", pgm, "-o", codestream, "-reversible", "true"]);
        var dataset = SyntheticDicom.Grayscale(rows, columns, bits, bits, false, (_, _, _) => 0);

        var file = DicomFile.Parse(DicomWriter.WriteEncapsulated(dataset, DicomTransferSyntax.HtJpeg2000Lossless, [await File.ReadAllBytesAsync(codestream)]));

        Assert.Equal(values.Select(v => (float)v).ToArray(), DicomImageDecoder.Decode(file).Pixels);
    }

    [Fact]
    public void A_missing_codec_library_is_named_with_its_package_and_the_command_that_installs_it()
    {
        var debianOnly = new NativeCodecLibrary("test codec", "libtestcodec1", "libglcmmae-absent.so.1");
        var renamed = new NativeCodecLibrary("test codec", "libtestcodec1", "libglcmmae-absent.so.1") { UbuntuPackage = "libtestcodec" };

        Assert.False(debianOnly.IsAvailable);
        Assert.EndsWith("install the Debian/Ubuntu package libtestcodec1 (apt-get install -y libtestcodec1).", debianOnly.Missing(DicomTransferSyntax.JpegBaseline).Message, StringComparison.Ordinal);
        Assert.Contains("libtestcodec1 on Debian, libtestcodec on Ubuntu", renamed.Missing(DicomTransferSyntax.JpegBaseline).Message, StringComparison.Ordinal);
    }

    private async Task<DicomFile> EncodeAsync(string tool, string[] options, DicomDataset dataset)
    {
        var source = _folder.File("source.dcm");
        var encoded = _folder.File("encoded.dcm");
        await File.WriteAllBytesAsync(source, DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
        await ExternalTool.RunAsync(tool, [.. options, source, encoded]);
        return DicomFile.Parse(await File.ReadAllBytesAsync(encoded));
    }

    public void Dispose() => _folder.Dispose();
}
