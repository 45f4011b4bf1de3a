using System.Text;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

/// <summary>The displayed image (window, MONOCHROME1) agrees with dcmtk's dcm2pnm to within one grey level.</summary>
public sealed class DisplayCrossCheckTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData("MONOCHROME2", 40.0, 400.0)]
    [InlineData("MONOCHROME2", -600.0, 1500.0)]
    [InlineData("MONOCHROME1", 300.0, 1000.0)]
    public async Task Windowed_display_matches_dcm2pnm(string photometric, double center, double width)
    {
        var dataset = SyntheticDicom.Grayscale(40, 50, 16, 12, signed: true, (_, r, c) => (r * 90) + (c * 7) - 1500, photometric: photometric);
        // dcmtk applies rescale only when slope and intercept are both present (both are Type 1 in the CT module).
        dataset.Set(DicomElementFactory.Text(DicomTags.RescaleIntercept, DicomVR.DS, "-24"));
        dataset.Set(DicomElementFactory.Text(DicomTags.RescaleSlope, DicomVR.DS, "1"));
        var path = _folder.File("ct.dcm");
        var pgm = _folder.File("ct.pgm");
        await File.WriteAllBytesAsync(path, DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian));

        await ExternalTool.RunAsync("dcm2pnm", ["+Ww", center.ToString(System.Globalization.CultureInfo.InvariantCulture), width.ToString(System.Globalization.CultureInfo.InvariantCulture), "+op", path, pgm]);
        var reference = ReadPgm(await File.ReadAllBytesAsync(pgm));
        var spec = new PreprocessingSpec { Window = WindowMode.Explicit, WindowCenter = center, WindowWidth = width };
        var ours = new Preprocessor(spec).ToUnitRange(DicomImageDecoder.Decode(DicomFile.Parse(await File.ReadAllBytesAsync(path))));

        Assert.Equal(reference.Length, ours.Length);
        for (var i = 0; i < ours.Length; i++)
        {
            Assert.True(Math.Abs(Math.Round(ours[i] * 255) - reference[i]) <= 1, $"pixel {i}: ours {ours[i] * 255:F2}, dcmtk {reference[i]}");
        }
    }

    private static byte[] ReadPgm(byte[] bytes)
    {
        // Binary PGM: "P5", width, height, maxval separated by whitespace, then one byte per pixel.
        var fields = 0;
        var position = 0;
        while (fields < 4)
        {
            while (char.IsWhiteSpace((char)bytes[position]))
            {
                position++;
            }

            while (!char.IsWhiteSpace((char)bytes[position]))
            {
                position++;
            }

            fields++;
        }

        Assert.Equal("P5", Encoding.ASCII.GetString(bytes, 0, 2));
        return bytes[(position + 1)..];
    }

    public void Dispose() => _folder.Dispose();
}
