using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Imaging.Dicom.Codecs;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

/// <summary>
/// JPEG 2000 frames decoded at a reduced resolution when the preprocessing spec asks for it: the level chosen from the
/// codestream, the size, pixels close to the full frame's, and the same tensor whichever path decodes.
/// </summary>
public sealed class Jpeg2000ReducedResolutionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static int Smooth(int row, int column) => (int)(2000 + (1500 * Math.Sin(row / 23.0) * Math.Cos(column / 31.0)));

    [Theory]
    [InlineData(256, 1, 256, 256)]
    [InlineData(100, 2, 128, 128)]
    [InlineData(16, 5, 16, 16)]
    [InlineData(300, 0, 512, 512)]
    public async Task The_level_just_large_enough_is_chosen_from_the_codestream(int minimumShorterSide, int reduction, int width, int height)
    {
        var file = await EncodeAsync(SyntheticDicom.Grayscale(512, 512, 16, 12, false, (_, r, c) => Smooth(r, c)));
        var pixelData = DicomPixelData.Create(file);

        var reduced = pixelData.ReducedFor(0, minimumShorterSide);

        // gdcm writes 5 decomposition levels: at most 5 can be left out, whatever the target.
        Assert.Equal(5, Jpeg2000Header.Read(file.Dataset.Get(DicomTags.PixelData)!.Fragments!.Fragments[0].Span).DecompositionLevels);
        Assert.Equal((reduction, width, height), (reduced.ResolutionReduction, reduced.Columns, reduced.Rows));
        var image = DicomImageDecoder.Decode(file, reduced, 0);
        Assert.Equal((width, height), (image.Width, image.Height));
    }

    [Fact]
    public async Task A_reduced_frame_is_close_to_the_full_frame_subsampled()
    {
        var file = await EncodeAsync(SyntheticDicom.Grayscale(300, 200, 16, 12, false, (_, r, c) => Smooth(r, c)));
        var document = ScanDocument.Open(await File.ReadAllBytesAsync(_folder.File("encoded.dcm")));

        var full = document.DecodeFrame(0);
        var half = document.DecodeFrame(0, 100);

        Assert.Equal((100, 150), (half.Width, half.Height));
        var (error, total) = (0.0, 0.0);
        for (var y = 0; y < half.Height; y++)
        {
            for (var x = 0; x < half.Width; x++)
            {
                var difference = Math.Abs(full.Pixels[(2 * y * 200) + (2 * x)] - half.Pixels[(y * half.Width) + x]);
                (error, total) = (Math.Max(error, difference), total + difference);
            }
        }

        // The 5/3 low-pass band is centred on the even samples: for a smooth image, within 1% of the range of them (the
        // values span 500-3500, and neighbouring samples differ by up to 65), and a few levels on average.
        var mean = total / (half.Width * half.Height);
        Assert.True(error < 30 && mean < 4, $"difference from the even samples: largest {error}, mean {mean:F2}");
    }

    [Fact]
    public async Task Training_and_serving_decode_alike_and_other_syntaxes_are_untouched()
    {
        var dataset = SyntheticDicom.Grayscale(300, 260, 16, 12, false, (_, r, c) => Smooth(r, c));
        await EncodeAsync(dataset);
        var jpeg2000 = await File.ReadAllBytesAsync(_folder.File("encoded.dcm"));
        var native = DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        var full = new Preprocessor(new PreprocessingSpec { ResizeShorterSide = 64, CropSize = 56 });
        var reduced = new Preprocessor(full.Spec with { DecodeResolution = DecodeResolution.Reduced });

        // Run(document) is what training's loaders call; Decode then Run is the serving pipeline's order.
        var trained = reduced.Run(ScanDocument.Open(jpeg2000)).Data;
        var document = ScanDocument.Open(jpeg2000);
        var served = reduced.Run(reduced.Decode(document, 0)).Data;

        Assert.Equal(trained, served);
        // 260 x 300 with a shorter side of at least 64: two levels down (65 x 75); three would be 33 x 38.
        Assert.Equal((65, 75), (reduced.Decode(document, 0).Width, reduced.Decode(document, 0).Height));
        Assert.NotEqual(full.Run(ScanDocument.Open(jpeg2000)).Data, trained);
        Assert.Equal(full.Run(ScanDocument.Open(native)).Data, reduced.Run(ScanDocument.Open(native)).Data);
    }

    [Fact]
    public void Reduced_sizes_follow_the_image_origin_on_the_reference_grid()
    {
        // ISO/IEC 15444-1 B.5: an image from x = 1 to 6 at one level down spans ceil(6/2) - ceil(1/2) = 2 columns.
        var header = new Jpeg2000Header(5, 3, 1, [new Jpeg2000Component(8, 1, 1)], OriginX: 1, OriginY: 0, DecompositionLevels: 2);

        Assert.Equal((2, 2), header.ReducedSize(1));
        Assert.Equal((1, 1), header.ReducedSize(2));
        Assert.Equal(0, header.ReductionFor(3));
        Assert.Equal(2, header.ReductionFor(1));
    }

    [Fact]
    public async Task A_tile_part_header_with_fewer_levels_bounds_the_reduction()
    {
        await EncodeAsync(SyntheticDicom.Grayscale(64, 64, 8, 8, false, (_, r, c) => (r + c) % 256));
        var file = DicomFile.Parse(await File.ReadAllBytesAsync(_folder.File("encoded.dcm")));
        var codestream = file.Dataset.Get(DicomTags.PixelData)!.Fragments!.Fragments[0].ToArray();
        var cod = codestream.AsSpan().IndexOf((byte[])[0xFF, 0x52]);
        var sot = codestream.AsSpan().IndexOf((byte[])[0xFF, 0x90]);
        var codLength = (codestream[cod + 2] << 8) | codestream[cod + 3];

        // A copy of the main COD with 1 level, put in the tile-part header right after SOT (12 bytes).
        var tileCod = codestream[cod..(cod + 2 + codLength)];
        tileCod[4 + 5] = 1;
        var edited = codestream[..(sot + 12)].Concat(tileCod).Concat(codestream[(sot + 12)..]).ToArray();

        Assert.Equal(5, Jpeg2000Header.Read(codestream).DecompositionLevels);
        Assert.Equal(1, Jpeg2000Header.Read(edited).DecompositionLevels);
    }

    private async Task<DicomFile> EncodeAsync(DicomDataset dataset)
    {
        var source = _folder.File("source.dcm");
        var encoded = _folder.File("encoded.dcm");
        await File.WriteAllBytesAsync(source, DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
        await ExternalTool.RunAsync("gdcmconv", "--j2k", source, encoded);
        return DicomFile.Parse(await File.ReadAllBytesAsync(encoded));
    }

    public void Dispose() => _folder.Dispose();
}
