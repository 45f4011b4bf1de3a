using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Raster;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Shared.Tests.Imaging.Raster;

public sealed class RasterImageReaderTests
{
    private static byte[] Encode<TPixel>(Image<TPixel> image, PngEncoder encoder)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream, encoder);
        return stream.ToArray();
    }

    [Fact]
    public void Sixteen_bit_grayscale_png_keeps_all_sixteen_bits()
    {
        using var image = new Image<L16>(3, 2);
        image[0, 0] = new L16(0);
        image[1, 0] = new L16(1);
        image[2, 0] = new L16(40000);
        image[2, 1] = new L16(65535);

        var decoded = RasterImageReader.Decode(Encode(image, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Grayscale }));

        Assert.Equal(1, decoded.Channels);
        Assert.Equal(65535, decoded.MaxValue);
        Assert.Equal([0f, 1f, 40000f, 0f, 0f, 65535f], decoded.Pixels);
    }

    [Fact]
    public void Rgba_png_becomes_rgb()
    {
        using var image = new Image<Rgba32>(2, 1);
        image[0, 0] = new Rgba32(10, 20, 30, 0);
        image[1, 0] = new Rgba32(200, 100, 50, 255);

        var decoded = RasterImageReader.Decode(Encode(image, new PngEncoder { ColorType = PngColorType.RgbWithAlpha }));

        Assert.Equal(3, decoded.Channels);
        Assert.Equal([10f, 20f, 30f, 200f, 100f, 50f], decoded.Pixels);
    }

    [Fact]
    public void Palette_png_is_expanded_to_rgb()
    {
        using var image = new Image<Rgb24>(4, 4, new Rgb24(12, 34, 56));

        var decoded = RasterImageReader.Decode(Encode(image, new PngEncoder { ColorType = PngColorType.Palette }));

        Assert.Equal(3, decoded.Channels);
        Assert.Equal([12f, 34f, 56f], decoded.Pixels[..3]);
    }

    [Fact]
    public void Grayscale_jpeg_decodes_close_to_its_source()
    {
        using var image = new Image<L8>(16, 16, new L8(128));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 95 });

        var decoded = RasterImageReader.Decode(stream.ToArray());

        Assert.Equal(1, decoded.Channels);
        Assert.All(decoded.Pixels, v => Assert.InRange(v, 126f, 130f));
    }

    [Fact]
    public void Damaged_png_gives_a_typed_error()
    {
        using var image = new Image<L8>(8, 8);
        var bytes = Encode(image, new PngEncoder());

        var error = Assert.ThrowsAny<ImagingException>(() => RasterImageReader.Decode(bytes.AsMemory(0, 40)));

        Assert.Equal("CorruptFile", error.ErrorCode);
    }

    [Fact]
    public void Format_comes_from_the_bytes_not_the_name()
    {
        using var image = new Image<L8>(8, 8);
        var png = Encode(image, new PngEncoder());

        Assert.Equal(ScanFormat.Png, ScanFormatSniffer.Detect(png));
        Assert.Equal(ScanFormat.Unknown, ScanFormatSniffer.Detect("GIF89a......"u8));
        var error = Assert.Throws<GlcmMae.Shared.Imaging.ImageFormatException>(() => ScanDocument.Open("GIF89a and more bytes"u8.ToArray()));
        Assert.Equal("UnsupportedFormat", error.ErrorCode);
    }
}
