using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

/// <summary>Files transcoded by dcmtk and gdcm must decode to exactly the values we wrote.</summary>
public sealed class DicomToolkitCrossCheckTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public static TheoryData<string, string[], string, int> Transcodings => new()
    {
        { "dcmconv", ["+ti"], "1.2.840.10008.1.2", 2 },
        { "dcmconv", ["+te"], "1.2.840.10008.1.2.1", 2 },
        { "dcmconv", ["+tb"], "1.2.840.10008.1.2.2", 2 },
        { "dcmconv", ["+td"], "1.2.840.10008.1.2.1.99", 2 },
        { "dcmconv", ["-F", "+ti"], "1.2.840.10008.1.2", 2 },
        { "dcmcrle", [], "1.2.840.10008.1.2.5", 2 },
        // gdcm's RLE encoder handles single frames only.
        { "gdcmconv", ["--rle"], "1.2.840.10008.1.2.5", 1 },
        { "gdcmconv", ["--implicit"], "1.2.840.10008.1.2", 2 },
    };

    [Theory]
    [MemberData(nameof(Transcodings))]
    public async Task Transcoded_16_bit_signed_image_decodes_exactly(string tool, string[] options, string expectedSyntax, int frames)
    {
        static int Value(int frame, int row, int column) => ((row * 131) + (column * 17) + (frame * 7)) % 3000 - 1000;
        var source = _folder.File("source.dcm");
        var target = _folder.File("target.dcm");
        await File.WriteAllBytesAsync(source, DicomWriter.Write(SyntheticDicom.Grayscale(33, 31, 16, 16, signed: true, Value, frames), DicomTransferSyntax.ExplicitVRLittleEndian));

        await ExternalTool.RunAsync(tool, [.. options, source, target]);
        var file = DicomFile.Parse(await File.ReadAllBytesAsync(target));

        if (!options.Contains("-F"))
        {
            Assert.Equal(expectedSyntax, file.TransferSyntax.Uid);
        }

        for (var f = 0; f < frames; f++)
        {
            var image = DicomImageDecoder.Decode(file, f);
            var expected = Enumerable.Range(0, 33 * 31).Select(i => (float)Value(f, i / 31, i % 31)).ToArray();
            Assert.Equal(expected, image.Pixels);
        }
    }

    [Theory]
    [InlineData("dcmcrle")]
    [InlineData("gdcmconv")]
    public async Task Rgb_rle_from_toolkits_decodes_exactly(string tool)
    {
        static int Value(int row, int column, int sample) => ((row * 7) + (column * 3) + (sample * 85)) % 256;
        var source = _folder.File("rgb.dcm");
        var target = _folder.File("rgb-rle.dcm");
        await File.WriteAllBytesAsync(source, DicomWriter.Write(SyntheticDicom.Rgb(16, 24, Value), DicomTransferSyntax.ExplicitVRLittleEndian));

        await ExternalTool.RunAsync(tool, tool == "gdcmconv" ? ["--rle", source, target] : [source, target]);
        var image = DicomImageDecoder.Decode(DicomFile.Parse(await File.ReadAllBytesAsync(target)));

        var expected = Enumerable.Range(0, 16 * 24 * 3).Select(i => (float)Value(i / 3 / 24, i / 3 % 24, i % 3)).ToArray();
        Assert.Equal(expected, image.Pixels);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2", "LittleEndianImplicit")]
    [InlineData("1.2.840.10008.1.2.1.99", "DeflatedLittleEndianExplicit")]
    [InlineData("1.2.840.10008.1.2.5", "RLELossless")]
    public async Task Our_files_are_valid_for_dcmtk(string transferSyntaxUid, string dcmtkName)
    {
        var path = _folder.File("ours.dcm");
        var png = _folder.File("ours.pgm");
        await File.WriteAllBytesAsync(path, DicomWriter.Write(SyntheticDicom.Grayscale(8, 8, 16, 12, false, (_, r, c) => r * c), DicomTransferSyntax.Lookup(transferSyntaxUid)));

        var dump = await ExternalTool.RunAsync("dcmdump", ["+E", path]);
        await ExternalTool.RunAsync("dcm2pnm", [path, png]);

        Assert.Contains(dcmtkName, dump, StringComparison.Ordinal);
        Assert.True(new FileInfo(png).Length > 64);
    }

    public void Dispose() => _folder.Dispose();
}
