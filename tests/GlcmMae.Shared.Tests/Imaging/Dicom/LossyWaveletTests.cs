using System.Text;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

/// <summary>
/// Lossy JPEG 2000 (irreversible 9-7 wavelet, gdcm) and lossy HTJ2K (OpenJPH) frames decoded by OpenJPEG, against each
/// encoder's own reference decoder: at most one level apart (the 9-7 inverse is computed in floating point, and
/// implementations round it differently), and close to the original.
/// </summary>
public sealed class LossyWaveletTests : IDisposable
{
    private const int Rows = 64;
    private const int Columns = 72;
    private readonly TempFolder _folder = new();

    private static int Value(int row, int column, int max) =>
        (int)((max / 2.0) + (max / 3.0 * Math.Sin(row / 6.0) * Math.Cos(column / 9.0)) + ((row * column) % 23));

    [Theory]
    [InlineData(16, 12)]
    [InlineData(8, 8)]
    public async Task Lossy_jpeg_2000_matches_gdcms_decode_within_one_level(int bitsAllocated, int bitsStored)
    {
        var max = (1 << bitsStored) - 1;
        var source = _folder.File("source.dcm");
        var encoded = _folder.File("lossy.dcm");
        var reference = _folder.File("reference.dcm");
        await File.WriteAllBytesAsync(source, DicomWriter.Write(SyntheticDicom.Grayscale(Rows, Columns, bitsAllocated, bitsStored, false, (_, r, c) => Value(r, c, max)), DicomTransferSyntax.ExplicitVRLittleEndian));
        await ExternalTool.RunAsync("gdcmconv", "--j2k", "--lossy", "-q", "70", source, encoded);
        await ExternalTool.RunAsync("gdcmconv", "--raw", encoded, reference);

        var file = DicomFile.Parse(await File.ReadAllBytesAsync(encoded));
        var decoded = DicomImageDecoder.Decode(file).Pixels[..(Rows * Columns)];
        var expected = DicomImageDecoder.Decode(DicomFile.Parse(await File.ReadAllBytesAsync(reference))).Pixels[..(Rows * Columns)];

        Assert.Equal("1.2.840.10008.1.2.4.91", file.TransferSyntax.Uid);
        AssertClose(expected, decoded, 1);
        AssertNearOriginal(decoded, max);
    }

    [Theory]
    [InlineData(16, 4095)]
    [InlineData(8, 255)]
    public async Task Lossy_htj2k_matches_openjphs_decode_within_one_level(int bits, int max)
    {
        var pgm = _folder.File("source.pgm");
        var codestream = _folder.File("source.j2c");
        var expanded = _folder.File("expanded.pgm");
        var values = Enumerable.Range(0, Rows * Columns).Select(i => Value(i / Columns, i % Columns, max)).ToArray();
        await File.WriteAllBytesAsync(pgm, Pgm(values, max));
        await ExternalTool.RunAsync("ojph_compress", "-i", pgm, "-o", codestream, "-reversible", "false", "-qstep", "0.005");
        await ExternalTool.RunAsync("ojph_expand", "-i", codestream, "-o", expanded);
        var dataset = SyntheticDicom.Grayscale(Rows, Columns, bits, bits == 16 ? 12 : 8, false, (_, _, _) => 0);

        var file = DicomFile.Parse(DicomWriter.WriteEncapsulated(dataset, DicomTransferSyntax.HtJpeg2000, [await File.ReadAllBytesAsync(codestream)]));
        var decoded = DicomImageDecoder.Decode(file).Pixels[..(Rows * Columns)];

        AssertClose(ReadPgm(await File.ReadAllBytesAsync(expanded)), decoded, 1);
        AssertNearOriginal(decoded, max);
    }

    private static void AssertClose(float[] expected, float[] actual, int tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"largest difference from the reference decoder: {worst}");
    }

    private static void AssertNearOriginal(float[] decoded, int max)
    {
        // Lossy, but the image: mean absolute error under 2% of the range.
        var error = decoded.Select((v, i) => Math.Abs(v - Value(i / Columns, i % Columns, max))).Average();
        Assert.True(error < max * 0.02, $"mean absolute error {error} of {max}");
    }

    private static byte[] Pgm(int[] values, int max)
    {
        var header = Encoding.ASCII.GetBytes($"P5\n{Columns} {Rows}\n{max}\n");
        var samples = max > 255 ? values.SelectMany(v => new[] { (byte)(v >> 8), (byte)v }).ToArray() : values.Select(v => (byte)v).ToArray();
        return [.. header, .. samples];
    }

    private static float[] ReadPgm(byte[] pgm)
    {
        // P5 header: magic, width, height, maxval, each followed by whitespace; then big-endian samples when maxval > 255.
        var at = 0;
        var fields = new List<int>();
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)pgm[at]))
            {
                at++;
            }

            var start = at;
            while (!char.IsWhiteSpace((char)pgm[at]))
            {
                at++;
            }

            var token = Encoding.ASCII.GetString(pgm, start, at - start);
            fields.Add(token == "P5" ? 0 : int.Parse(token, System.Globalization.CultureInfo.InvariantCulture));
        }

        at++;
        var count = fields[1] * fields[2];
        return fields[3] > 255
            ? Enumerable.Range(0, count).Select(i => (float)((pgm[at + (2 * i)] << 8) | pgm[at + (2 * i) + 1])).ToArray()
            : Enumerable.Range(0, count).Select(i => (float)pgm[at + i]).ToArray();
    }

    public void Dispose() => _folder.Dispose();
}
