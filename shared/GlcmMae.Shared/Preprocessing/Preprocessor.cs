using GlcmMae.Shared.Imaging;

namespace GlcmMae.Shared.Preprocessing;

/// <summary>The one implementation of <see cref="PreprocessingSpec"/>: training and serving both call it.</summary>
/// <remarks>
/// Order: frame selection, (modality LUT, applied by the decoder), window to [0, 1] (grayscale) or divide by the
/// maximum (colour), MONOCHROME1 inversion, channel conversion, resize of the shorter side, centre crop,
/// normalisation with the dataset mean and std, CHW layout.
/// </remarks>
public sealed class Preprocessor
{
    private readonly PreprocessingSpec _spec;

    /// <summary>Creates a preprocessor for a validated spec.</summary>
    public Preprocessor(PreprocessingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        _spec = spec;
    }

    /// <summary>The spec this preprocessor implements.</summary>
    public PreprocessingSpec Spec => _spec;

    /// <summary>Chooses the frame of a document per the spec.</summary>
    public int SelectFrame(int frameCount) => _spec.Frame switch
    {
        FrameSelection.First => 0,
        FrameSelection.Index => Math.Clamp(_spec.FrameIndex, 0, frameCount - 1),
        _ => frameCount / 2,
    };

    /// <summary>Floats in one preprocessed image (channels x crop x crop).</summary>
    public int OutputLength => _spec.Channels * _spec.CropSize * _spec.CropSize;

    /// <summary>Decodes the selected frame of a scan and preprocesses it.</summary>
    public PreprocessedImage Run(ScanDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var output = new float[OutputLength];
        RunAndRecycle(DecodeForRecycling(document, SelectFrame(document.Metadata.Frames)), output);
        return Wrap(output);
    }

    /// <summary>Decodes frame <paramref name="index"/> of a scan as this spec says (<see cref="PreprocessingSpec.DecodeResolution"/>), for <see cref="Run(ScanImage)"/>.</summary>
    /// <remarks>Every caller that preprocesses a decoded frame decodes it here, so that training and serving decode alike.</remarks>
    public ScanImage Decode(ScanDocument document, int index)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.DecodeFrame(index, _spec.MinimumDecodedShorterSide);
    }

    /// <summary>Like <see cref="Decode"/>, for a caller that hands the frame to <see cref="RunPooled"/>.</summary>
    internal ScanImage DecodeForRecycling(ScanDocument document, int index) => document.DecodeFrameForRecycling(index, _spec.MinimumDecodedShorterSide);

    /// <summary>
    /// Preprocesses a frame nobody else holds into a tensor rented from <see cref="FramePool"/> (exactly
    /// <see cref="OutputLength"/> floats), and hands the frame's pixels to the pool for the next scan.
    /// </summary>
    /// <remarks>
    /// Serving needs the tensor only until inference has read it, so the caller returns it to the pool then: at 224 px
    /// it is 196 KB, which a fresh array would take from the large object heap on every scan.
    /// </remarks>
    internal float[] RunPooled(ScanImage frame)
    {
        var output = FramePool.Shared.Rent(OutputLength);
        RunAndRecycle(frame, output);
        return output;
    }

    /// <summary>Preprocesses one decoded frame (the frame's pixel array is not modified).</summary>
    public PreprocessedImage Run(ScanImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var output = new float[OutputLength];
        Run(image, output);
        return Wrap(output);
    }

    private PreprocessedImage Wrap(float[] output) => new(output, _spec.Channels, _spec.CropSize, _spec.CropSize);

    // The frame's pixels go to the pool for the next scan once preprocessed, whether or not that succeeded.
    private void RunAndRecycle(ScanImage frame, float[] output)
    {
        try
        {
            Run(frame, output);
        }
        finally
        {
            FramePool.Shared.Return(frame.Pixels);
        }
    }

    private void Run(ScanImage image, float[] output)
    {
        var scaled = System.Buffers.ArrayPool<float>.Shared.Rent(image.Pixels.Length);
        try
        {
            FillUnitRange(image, scaled.AsSpan(0, image.Pixels.Length));
            Resize(image, scaled, output);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(scaled);
        }
    }

    private void Resize(ScanImage image, float[] scaled, float[] output)
    {
        var planes = ToChannels(scaled, image.Width, image.Height, image.Channels);

        var shorter = Math.Min(image.Width, image.Height);
        var outWidth = (int)Math.Round(image.Width * (double)_spec.ResizeShorterSide / shorter, MidpointRounding.AwayFromZero);
        var outHeight = (int)Math.Round(image.Height * (double)_spec.ResizeShorterSide / shorter, MidpointRounding.AwayFromZero);
        outWidth = Math.Max(outWidth, _spec.CropSize);
        outHeight = Math.Max(outHeight, _spec.CropSize);
        var crop = _spec.CropSize;
        var cropX = (outWidth - crop) / 2;
        var cropY = (outHeight - crop) / 2;

        var count = image.Width * image.Height;
        try
        {
            for (var c = 0; c < _spec.Channels; c++)
            {
                var target = output.AsSpan(c * crop * crop, crop * crop);
                Resampler.ResizeCrop(planes[c].AsSpan(0, count), image.Width, image.Height, outWidth, outHeight, cropX, cropY, crop, crop, _spec.Interpolation, target);
                var mean = _spec.Mean[c];
                var inverseStd = 1f / _spec.Std[c];
                for (var i = 0; i < target.Length; i++)
                {
                    target[i] = (target[i] - mean) * inverseStd;
                }
            }
        }
        finally
        {
            if (image.Channels == 3)
            {
                // Colour planes were rented by ToChannels (grayscale ones are the caller's buffer).
                foreach (var plane in planes)
                {
                    System.Buffers.ArrayPool<float>.Shared.Return(plane);
                }
            }
        }
    }

    /// <summary>The display step alone: window (grayscale) or scale (colour) to [0, 1] and undo MONOCHROME1; same layout as the input.</summary>
    public float[] ToUnitRange(ScanImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var values = new float[image.Pixels.Length];
        FillUnitRange(image, values);
        return values;
    }

    // Reads the frame once: every step below maps the frame's values into the target (no copy first).
    private void FillUnitRange(ScanImage image, Span<float> target)
    {
        ReadOnlySpan<float> source = image.Pixels;
        if (image.Channels == 3)
        {
            Windowing.ScaleClamp(source, target, (float)(1.0 / Math.Max(image.MaxValue, 1e-6)), 0f);
            return;
        }

        ApplyWindow(image, source, target);
        if (image.Photometric == ScanPhotometric.Monochrome1)
        {
            for (var i = 0; i < target.Length; i++)
            {
                target[i] = 1f - target[i];
            }
        }
    }

    private void ApplyWindow(ScanImage image, ReadOnlySpan<float> source, Span<float> target)
    {
        var function = _spec.WindowFunction ?? image.Voi.Function;
        switch (_spec.Window)
        {
            case WindowMode.Explicit:
                Windowing.Apply(source, target, _spec.WindowCenter!.Value, _spec.WindowWidth!.Value, function);
                return;
            case WindowMode.Percentile:
                var (low, high) = Quantiles.Pair(source, _spec.LowPercentile / 100, _spec.HighPercentile / 100);
                Windowing.Apply(source, target, (low + high) / 2, Math.Max(high - low, 1e-6), VoiLutFunction.LinearExact);
                return;
            case WindowMode.Dicom when image.Voi.Windows.Count > 0:
                var window = image.Voi.Windows[Math.Min(_spec.WindowIndex, image.Voi.Windows.Count - 1)];
                Windowing.Apply(source, target, window.Center, window.Width, function);
                return;
            case WindowMode.Dicom when image.Voi.Luts.Count > 0:
                var lut = image.Voi.Luts[Math.Min(_spec.WindowIndex, image.Voi.Luts.Count - 1)];
                var scale = (float)(1.0 / lut.MaxOutput);
                for (var i = 0; i < source.Length; i++)
                {
                    target[i] = lut.Map(source[i]) * scale;
                }

                return;
            case WindowMode.Dicom:
                // No window in the file: stretch the image's own value range (as dcmtk's min-max window does).
                var (min, max) = Windowing.Range(source);

                Windowing.Apply(source, target, (min + (double)max) / 2, Math.Max(max - (double)min, 1e-6), VoiLutFunction.LinearExact);
                return;
            default:
                Windowing.Apply(source, target, (image.MinValue + image.MaxValue) / 2, Math.Max(image.MaxValue - image.MinValue, 1e-6), VoiLutFunction.LinearExact);
                return;
        }
    }

    // The model's channels as planes: grayscale input is used as it is, colour planes are rented from ArrayPool (at
    // least width x height long) and go back after resizing.
    private float[][] ToChannels(float[] values, int width, int height, int channels)
    {
        var count = width * height;
        if (channels == 1)
        {
            return _spec.Channels == 1 ? [values] : [values, values, values];
        }

        var planes = new float[_spec.Channels][];
        if (_spec.Channels == 3)
        {
            for (var c = 0; c < 3; c++)
            {
                planes[c] = System.Buffers.ArrayPool<float>.Shared.Rent(count);
                for (var i = 0; i < count; i++)
                {
                    planes[c][i] = values[(i * 3) + c];
                }
            }

            return planes;
        }

        // ITU-R BT.601 luma.
        planes[0] = System.Buffers.ArrayPool<float>.Shared.Rent(count);
        for (var i = 0; i < count; i++)
        {
            planes[0][i] = (0.299f * values[i * 3]) + (0.587f * values[(i * 3) + 1]) + (0.114f * values[(i * 3) + 2]);
        }

        return planes;
    }
}
