using System.Text;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Raster;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Raster;

/// <summary>JPEG files made by libjpeg-turbo's cjpeg decode to exactly the values its djpeg (and so Pillow) gives.</summary>
public sealed class JpegFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static byte Value(int row, int column, int channel) =>
        (byte)Math.Clamp(128 + (80 * Math.Sin((row + (channel * 5)) / 7.0) * Math.Cos((column - (channel * 3)) / 11.0)) + ((row * column) % 13), 0, 255);

    [Theory]
    [InlineData(1, new string[0])]
    [InlineData(1, new[] { "-progressive" })]
    [InlineData(3, new string[0])]
    [InlineData(3, new[] { "-sample", "2x1" })]
    [InlineData(3, new[] { "-sample", "1x1", "-quality", "98" })]
    [InlineData(3, new[] { "-rgb" })]
    public async Task Jpeg_files_decode_as_djpeg_decodes_them(int channels, string[] options)
    {
        const int rows = 45;
        const int columns = 61;
        var source = _folder.File(channels == 1 ? "source.pgm" : "source.ppm");
        var samples = Enumerable.Range(0, rows * columns * channels).Select(i => Value(i / channels / columns, i / channels % columns, i % channels)).ToArray();
        await File.WriteAllBytesAsync(source, [.. Encoding.ASCII.GetBytes($"{(channels == 1 ? "P5" : "P6")}\n{columns} {rows}\n255\n"), .. samples]);
        var jpeg = _folder.File("image.jpg");
        await ExternalTool.RunAsync("cjpeg", [.. options, "-outfile", jpeg, source]);
        var reference = _folder.File("reference.pnm");
        await ExternalTool.RunAsync("djpeg", ["-pnm", "-outfile", reference, jpeg]);

        var image = RasterImageReader.Decode(await File.ReadAllBytesAsync(jpeg));

        Assert.Equal((columns, rows, channels), (image.Width, image.Height, image.Channels));
        Assert.Equal(channels == 1 ? ScanPhotometric.Monochrome2 : ScanPhotometric.Rgb, image.Photometric);
        Assert.Equal(ReadPnmSamples(await File.ReadAllBytesAsync(reference)).Select(v => (float)v).ToArray(), image.Pixels);
    }

    [Fact]
    public async Task Stray_bytes_before_a_marker_are_a_warning_not_an_error_as_in_djpeg_and_Pillow()
    {
        var source = _folder.File("source.pgm");
        await File.WriteAllBytesAsync(source, [.. "P5\n40 30\n255\n"u8.ToArray(), .. Enumerable.Range(0, 40 * 30).Select(i => Value(i / 40, i % 40, 0))]);
        var jpeg = _folder.File("image.jpg");
        await ExternalTool.RunAsync("cjpeg", ["-outfile", jpeg, source]);
        var reference = _folder.File("reference.pnm");
        await ExternalTool.RunAsync("djpeg", ["-pnm", "-outfile", reference, jpeg]);
        var bytes = await File.ReadAllBytesAsync(jpeg);
        // Garbage between two header segments, which some encoders leave: libjpeg warns "Corrupt JPEG data: 3
        // extraneous bytes before marker 0xda" and decodes every pixel.
        var scan = bytes.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        byte[] stray = [.. bytes[..scan], 0x00, 0x13, 0x37, .. bytes[scan..]];

        var image = RasterImageReader.Decode(stray);

        Assert.Equal(ReadPnmSamples(await File.ReadAllBytesAsync(reference)).Select(v => (float)v).ToArray(), image.Pixels);
    }

    [Fact]
    public async Task Truncated_jpeg_file_gives_a_typed_error()
    {
        var source = _folder.File("source.pgm");
        await File.WriteAllBytesAsync(source, [.. "P5\n32 32\n255\n"u8.ToArray(), .. Enumerable.Range(0, 32 * 32).Select(i => Value(i / 32, i % 32, 0))]);
        var jpeg = _folder.File("image.jpg");
        await ExternalTool.RunAsync("cjpeg", ["-outfile", jpeg, source]);
        var bytes = await File.ReadAllBytesAsync(jpeg);

        var error = Assert.ThrowsAny<ImagingException>(() => RasterImageReader.Decode(bytes.AsMemory(0, bytes.Length * 2 / 3)));

        Assert.Equal("CorruptFile", error.ErrorCode);

        // An end-of-image marker inside the entropy-coded data: libjpeg only warns and fills the rest in gray, which
        // would hand the model an image that is not the scan.
        var cut = (byte[])bytes.Clone();
        var scan = bytes.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        var middle = (scan + bytes.Length) / 2;
        (cut[middle], cut[middle + 1]) = (0xFF, 0xD9);
        Assert.Equal("CorruptFile", Assert.ThrowsAny<ImagingException>(() => RasterImageReader.Decode(cut)).ErrorCode);
    }

    public void Dispose() => _folder.Dispose();

    // Binary PNM: magic, width, height and maximum separated by whitespace, one whitespace byte, then the samples.
    private static byte[] ReadPnmSamples(byte[] pnm)
    {
        var at = 0;
        for (var field = 0; field < 4; field++)
        {
            while (char.IsWhiteSpace((char)pnm[at]))
            {
                at++;
            }

            while (!char.IsWhiteSpace((char)pnm[at]))
            {
                at++;
            }
        }

        return pnm[(at + 1)..];
    }
}
