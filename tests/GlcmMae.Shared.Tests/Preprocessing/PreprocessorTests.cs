using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Shared.Tests.Preprocessing;

public sealed class PreprocessorTests
{
    private static ScanImage Gray(int width, int height, Func<int, int, float> value, double min = 0, double max = 255, ScanPhotometric photometric = ScanPhotometric.Monochrome2)
    {
        var pixels = new float[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                pixels[(y * width) + x] = value(x, y);
            }
        }

        return new ScanImage(width, height, 1, pixels, photometric, min, max, VoiSettings.None);
    }

    [Fact]
    public void Output_is_a_centre_crop_of_the_requested_size_and_channels()
    {
        var spec = new PreprocessingSpec { Channels = 3, Mean = [0.5f, 0.5f, 0.5f], Std = [0.25f, 0.25f, 0.25f] };

        var result = new Preprocessor(spec).Run(Gray(512, 384, (x, y) => x % 256));

        Assert.Equal((3, 224, 224), (result.Channels, result.Height, result.Width));
        Assert.Equal(3 * 224 * 224, result.Data.Length);
        Assert.Equal(result.Data.AsSpan(0, 224 * 224).ToArray(), result.Data.AsSpan(2 * 224 * 224, 224 * 224).ToArray());
    }

    [Fact]
    public void Serving_preprocesses_into_a_pooled_tensor_with_the_same_values_and_recycles_the_frame()
    {
        // Sizes no other test uses, so that the process-wide pool hands back exactly these arrays.
        var spec = new PreprocessingSpec { ResizeShorterSide = 41, CropSize = 37 };
        var preprocessor = new Preprocessor(spec);
        var frame = Gray(59, 43, (x, y) => ((x * 7) + (y * 13)) % 256);
        var expected = preprocessor.Run(frame).Data;

        var pooled = preprocessor.RunPooled(frame);

        Assert.Equal(37 * 37, preprocessor.OutputLength);
        Assert.Equal(expected, pooled);
        Assert.Same(frame.Pixels, FramePool.Shared.Rent(59 * 43));
        FramePool.Shared.Return(pooled);
        Assert.Same(pooled, preprocessor.RunPooled(Gray(59, 43, (x, y) => x)));
    }

    [Fact]
    public void Same_size_bicubic_resize_is_the_identity()
    {
        var spec = new PreprocessingSpec { Window = WindowMode.None, ResizeShorterSide = 32, CropSize = 32 };
        var image = Gray(32, 32, (x, y) => ((x * 7) + (y * 13)) % 256);

        var result = new Preprocessor(spec).Run(image);

        for (var i = 0; i < result.Data.Length; i++)
        {
            Assert.Equal(image.Pixels[i] / 255.0, result.Data[i], 1e-6);
        }
    }

    [Theory]
    [InlineData(ResizeKernel.Bilinear)]
    [InlineData(ResizeKernel.Bicubic)]
    public void Same_size_resize_with_a_centre_crop_equals_the_direct_reference_exactly(ResizeKernel kernel)
    {
        // A 73 x 80 scan at a model's resize size of 73 (64 px models): the crop comes straight from the pixels.
        var spec = new PreprocessingSpec { Window = WindowMode.None, ResizeShorterSide = 73, CropSize = 64, Interpolation = kernel };
        var image = Gray(73, 80, (x, y) => ((x * 31) + (y * 17)) % 256);

        var preprocessor = new Preprocessor(spec);
        var result = preprocessor.Run(image);

        var unit = preprocessor.ToUnitRange(image);
        var reference = ReferenceResize(image, 73, 80, kernel);
        var (cropX, cropY) = ((73 - 64) / 2, (80 - 64) / 2);
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                Assert.Equal(unit[((y + cropY) * 73) + x + cropX], result.Data[(y * 64) + x]);
                Assert.Equal(reference[((y + cropY) * 73) + x + cropX] / 255.0, result.Data[(y * 64) + x], 1e-6);
            }
        }
    }

    [Theory]
    [InlineData(ResizeKernel.Bilinear)]
    [InlineData(ResizeKernel.Bicubic)]
    public void Cropped_separable_resize_matches_a_direct_two_dimensional_reference(ResizeKernel kernel)
    {
        var spec = new PreprocessingSpec { Window = WindowMode.None, ResizeShorterSide = 40, CropSize = 24, Interpolation = kernel };
        var image = Gray(97, 61, (x, y) => (float)(128 + (100 * Math.Sin(x * 0.3) * Math.Cos(y * 0.2))));

        var result = new Preprocessor(spec).Run(image);

        var outWidth = (int)Math.Round(97 * 40.0 / 61, MidpointRounding.AwayFromZero);
        var reference = ReferenceResize(image, outWidth, 40, kernel);
        var cropX = (outWidth - 24) / 2;
        var cropY = (40 - 24) / 2;
        for (var y = 0; y < 24; y++)
        {
            for (var x = 0; x < 24; x++)
            {
                Assert.Equal(reference[((y + cropY) * outWidth) + x + cropX] / 255.0, result.Data[(y * 24) + x], 1e-5);
            }
        }
    }

    public static TheoryData<string> WindowCases => ["none", "dicom-range", "dicom-window", "dicom-lut", "explicit", "percentile", "colour"];

    [Theory]
    [MemberData(nameof(WindowCases))]
    public void Every_window_reads_the_frame_without_changing_it_and_maps_into_the_unit_range(string mode)
    {
        // The windows read the decoded frame directly (no working copy), so a frame must come out as it went in.
        var lut = new LookupTable(0, 8, Enumerable.Range(0, 256).Select(i => (ushort)(255 - i)).ToArray());
        var (spec, voi, channels) = mode switch
        {
            "none" => (new PreprocessingSpec { Window = WindowMode.None }, VoiSettings.None, 1),
            "dicom-range" => (new PreprocessingSpec(), VoiSettings.None, 1),
            "dicom-window" => (new PreprocessingSpec(), new VoiSettings([new VoiWindow(100, 50)], VoiLutFunction.LinearExact, []), 1),
            "dicom-lut" => (new PreprocessingSpec(), new VoiSettings([], VoiLutFunction.Linear, [lut]), 1),
            "explicit" => (new PreprocessingSpec { Window = WindowMode.Explicit, WindowCenter = 100, WindowWidth = 50, WindowFunction = VoiLutFunction.LinearExact }, VoiSettings.None, 1),
            "percentile" => (new PreprocessingSpec { Window = WindowMode.Percentile, LowPercentile = 0, HighPercentile = 100 }, VoiSettings.None, 1),
            _ => (new PreprocessingSpec(), VoiSettings.None, 3),
        };
        var pixels = Enumerable.Range(0, 37 * 29 * channels).Select(i => (float)((i * 7 % 200) + 20)).ToArray();
        var frame = new ScanImage(37, 29, channels, pixels, channels == 1 ? ScanPhotometric.Monochrome2 : ScanPhotometric.Rgb, 0, 255, voi);
        var original = pixels.ToArray();
        var preprocessor = new Preprocessor(spec with { ResizeShorterSide = 24, CropSize = 16 });

        var unit = preprocessor.ToUnitRange(frame);
        preprocessor.Run(frame);

        Assert.Equal(original, pixels);
        float Expected(float x) => mode switch
        {
            "none" or "colour" => x / 255f,
            // Values run from 20 to 219: the range and the 0-100 percentiles stretch exactly that.
            "dicom-range" or "percentile" => (x - 20f) / 199f,
            "dicom-lut" => (255f - x) / 255f,
            _ => Math.Clamp((x - 75f) / 50f, 0f, 1f),
        };
        for (var i = 0; i < pixels.Length; i++)
        {
            Assert.Equal(Expected(pixels[i]), unit[i], 1e-5);
        }
    }

    [Fact]
    public void Monochrome1_is_the_inverse_of_monochrome2()
    {
        var spec = new PreprocessingSpec { Window = WindowMode.None, ResizeShorterSide = 16, CropSize = 16 };
        static float Value(int x, int y) => (x * 16) + y;

        var normal = new Preprocessor(spec).Run(Gray(16, 16, Value));
        var inverted = new Preprocessor(spec).Run(Gray(16, 16, Value, photometric: ScanPhotometric.Monochrome1));

        for (var i = 0; i < normal.Data.Length; i++)
        {
            Assert.Equal(1.0, normal.Data[i] + inverted.Data[i], 1e-6);
        }
    }

    [Fact]
    public void Same_pixels_as_png_and_as_dicom_give_bit_identical_tensors()
    {
        static int Value(int row, int column) => ((row * 5) + (column * 3)) % 256;
        using var png = new Image<L8>(40, 30);
        for (var y = 0; y < 30; y++)
        {
            for (var x = 0; x < 40; x++)
            {
                png[x, y] = new L8((byte)Value(y, x));
            }
        }

        using var pngBytes = new MemoryStream();
        png.SaveAsPng(pngBytes);
        var dicomBytes = DicomWriter.Write(SyntheticDicom.Grayscale(30, 40, 8, 8, false, (_, r, c) => Value(r, c), modality: "US"), DicomTransferSyntax.ExplicitVRLittleEndian);
        var preprocessor = new Preprocessor(new PreprocessingSpec { Window = WindowMode.None, ResizeShorterSide = 24, CropSize = 20 });

        var fromPng = preprocessor.Run(ScanDocument.Open(pngBytes.ToArray()));
        var fromDicom = preprocessor.Run(ScanDocument.Open(dicomBytes));

        Assert.Equal(fromDicom.Data, fromPng.Data);
    }

    [Fact]
    public void Spec_round_trips_through_json_with_a_stable_hash()
    {
        var spec = new PreprocessingSpec { Window = WindowMode.Explicit, WindowCenter = 40, WindowWidth = 400, Channels = 3, Mean = [0.1f, 0.2f, 0.3f], Std = [1f, 2f, 3f] };

        var parsed = PreprocessingSpec.FromJson(spec.ToJson());
        var manifestObject = spec.ToJsonObject();

        Assert.Equal(spec.ComputeHash(), parsed.ComputeHash());
        // The object a manifest holds is the canonical text, and reads back without going through a string.
        Assert.Equal(spec.ToJson(), manifestObject.ToJsonString());
        Assert.Equal(spec.ComputeHash(), PreprocessingSpec.FromJson(manifestObject).ComputeHash());
        Assert.NotEqual(spec.ComputeHash(), (spec with { CropSize = 192, ResizeShorterSide = 220 }).ComputeHash());
        // Guards the canonical form: a change here changes every published model's preprocessing hash.
        Assert.Equal(
            """{"version":1,"frame":"middle","frameIndex":0,"window":"dicom","windowIndex":0,"windowCenter":null,"windowWidth":null,"windowFunction":null,"lowPercentile":0.5,"highPercentile":99.5,"channels":1,"resizeShorterSide":256,"interpolation":"bicubic","cropSize":224,"mean":[0],"std":[1]}""",
            PreprocessingSpec.Default.ToJson());
        // A setting added later is written only when it differs from its default, so older specs keep their hash.
        var reduced = PreprocessingSpec.Default with { DecodeResolution = DecodeResolution.Reduced };
        Assert.Contains(""","decodeResolution":"reduced",""", reduced.ToJson(), StringComparison.Ordinal);
        Assert.Equal(DecodeResolution.Reduced, PreprocessingSpec.FromJson(reduced.ToJson()).DecodeResolution);
    }

    [Fact]
    public void Dicom_window_mode_uses_the_voi_lut_sequence_when_there_is_no_window()
    {
        var dataset = SyntheticDicom.Grayscale(1, 4, 16, 12, false, (_, _, c) => c);
        var item = new DicomDataset();
        item.Set(DicomElementFactory.UInt16(DicomTags.LutDescriptor, 4, 0, 8));
        item.Set(DicomElementFactory.Bytes(DicomTags.LutData, DicomVR.OW, new byte[] { 0, 0, 51, 0, 204, 0, 255, 0 }));
        dataset.Set(DicomElement.CreateSequence(DicomTags.VoiLutSequence, [item]));
        var image = DicomImageDecoder.Decode(DicomFile.Parse(DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian)));

        var display = new Preprocessor(PreprocessingSpec.Default).ToUnitRange(image);

        Assert.Single(image.Voi.Luts);
        Assert.Equal(4, display.Length);
        Assert.All(display.Zip([0f, 0.2f, 0.8f, 1f]), pair => Assert.Equal(pair.Second, pair.First, 1e-6));
    }

    [Fact]
    public void Percentile_window_maps_the_chosen_percentiles_to_0_and_1_and_clips_outliers()
    {
        // 0..9999 with two outliers: the 1st and 99th percentiles are about 100 and 9900 whatever the outliers are.
        var image = Gray(100, 100, (x, y) => (y * 100) + x);
        image.Pixels[0] = -1e6f;
        image.Pixels[^1] = 1e6f;
        var spec = new PreprocessingSpec { Window = WindowMode.Percentile, LowPercentile = 1, HighPercentile = 99 };
        var sorted = image.Pixels.Order().ToArray();
        double Reference(double q)
        {
            var position = q * (sorted.Length - 1);
            var lower = (int)Math.Floor(position);
            return sorted[lower] + ((sorted[lower + 1] - sorted[lower]) * (position - lower));
        }

        var (low, high) = (Reference(0.01), Reference(0.99));
        var unit = new Preprocessor(spec).ToUnitRange(image);

        Assert.Equal(0f, unit[0]);
        Assert.Equal(1f, unit[^1]);
        Assert.Equal((float)((5000 - low) / (high - low)), unit[5000], 1e-5f);
        Assert.InRange(low, 99, 101);
        Assert.InRange(high, 9898, 9900);
    }

    [Fact]
    public void Invalid_spec_is_refused_with_the_setting_named()
    {
        var error = Assert.Throws<ArgumentException>(() => new Preprocessor(new PreprocessingSpec { Channels = 2 }));

        Assert.Contains("Channels", error.Message, StringComparison.Ordinal);
    }

    private static double[] ReferenceResize(ScanImage image, int outWidth, int outHeight, ResizeKernel kernel)
    {
        double K(double x)
        {
            x = Math.Abs(x);
            if (kernel == ResizeKernel.Bilinear)
            {
                return Math.Max(0, 1 - x);
            }

            return x < 1 ? (1.5 * x * x * x) - (2.5 * x * x) + 1 : x < 2 ? (-0.5 * x * x * x) + (2.5 * x * x) - (4 * x) + 2 : 0;
        }

        double[] AxisWeights(int inSize, int outSize, int i)
        {
            var scale = inSize / (double)outSize;
            var filter = Math.Max(scale, 1);
            var center = (i + 0.5) * scale;
            var w = new double[inSize];
            for (var j = 0; j < inSize; j++)
            {
                w[j] = K((j + 0.5 - center) / filter);
            }

            var sum = w.Sum();
            return w.Select(v => v / sum).ToArray();
        }

        var output = new double[outWidth * outHeight];
        for (var y = 0; y < outHeight; y++)
        {
            var wy = AxisWeights(image.Height, outHeight, y);
            for (var x = 0; x < outWidth; x++)
            {
                var wx = AxisWeights(image.Width, outWidth, x);
                double sum = 0;
                for (var j = 0; j < image.Height; j++)
                {
                    for (var i = 0; i < image.Width; i++)
                    {
                        sum += wy[j] * wx[i] * image.Pixels[(j * image.Width) + i];
                    }
                }

                output[(y * outWidth) + x] = sum;
            }
        }

        return output;
    }
}
