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
        var jpeg = await LibjpegTools.EncodeAsync(_folder, rows, columns, channels, Value, options);
        var reference = await LibjpegTools.DecodeAsync(_folder, jpeg);

        var image = RasterImageReader.Decode(jpeg);

        Assert.Equal((columns, rows, channels), (image.Width, image.Height, image.Channels));
        Assert.Equal(channels == 1 ? ScanPhotometric.Monochrome2 : ScanPhotometric.Rgb, image.Photometric);
        Assert.Equal(reference.Select(v => (float)v).ToArray(), image.Pixels);
    }

    [Fact]
    public async Task Stray_bytes_before_a_marker_are_a_warning_not_an_error_as_in_djpeg_and_Pillow()
    {
        var bytes = await LibjpegTools.EncodeAsync(_folder, 30, 40, 1, Value);
        var reference = await LibjpegTools.DecodeAsync(_folder, bytes);
        // Garbage between two header segments, which some encoders leave: libjpeg warns "Corrupt JPEG data: 3
        // extraneous bytes before marker 0xda" and decodes every pixel.
        var scan = bytes.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        byte[] stray = [.. bytes[..scan], 0x00, 0x13, 0x37, .. bytes[scan..]];

        var image = RasterImageReader.Decode(stray);

        Assert.Equal(reference.Select(v => (float)v).ToArray(), image.Pixels);
    }

    [Fact]
    public async Task Truncated_jpeg_file_gives_a_typed_error()
    {
        var bytes = await LibjpegTools.EncodeAsync(_folder, 32, 32, 1, Value);

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
}
