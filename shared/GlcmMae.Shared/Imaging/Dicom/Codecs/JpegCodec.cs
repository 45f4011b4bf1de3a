using JpegLibrary;

namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>JPEG extended (12-bit) frames and files, and the lossless ones <see cref="LosslessJpegDecoder"/> leaves, decoded with JpegLibrary (MIT).</summary>
/// <remarks>No colour transform is applied: YBR_FULL_422 frames come out as full-resolution Y Cb Cr, which the image decoder converts.</remarks>
public static class JpegCodec
{
    /// <summary>Decodes one JPEG frame into normalised bytes (little endian, samples interleaved, chroma upsampled).</summary>
    public static byte[] Decode(ReadOnlyMemory<byte> frame, DicomPixelData pixelData)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        JpegHuffmanTables.RequireValid(frame.Span);
        var decoder = new JpegDecoder();
        try
        {
            decoder.SetInput(frame);
            decoder.Identify();
            if (decoder.Width != pixelData.Columns || decoder.Height != pixelData.Rows || decoder.NumberOfComponents != pixelData.SamplesPerPixel)
            {
                throw new DicomFormatException(-1, $"the JPEG stream is {decoder.Width}x{decoder.Height} with {decoder.NumberOfComponents} component(s) but the dataset says {pixelData.Columns}x{pixelData.Rows} with {pixelData.SamplesPerPixel}");
            }

            var output = new byte[pixelData.FrameLength];
            decoder.SetOutputWriter(new InterleavedWriter(output, pixelData.Columns, pixelData.Rows, pixelData.SamplesPerPixel, pixelData.BytesPerSample, decoder.Precision));
            decoder.Decode();
            return output;
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException or ArgumentException)
        {
            // JpegLibrary reports damaged streams with general exceptions; keep it as the cause.
            throw new DicomFormatException(-1, $"the JPEG frame cannot be decoded: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Decodes a JPEG file that libjpeg-turbo's 8-bit API does not take: 12-bit (extended or progressive) and lossless
    /// (process 14) files, gray or three-component, at their own precision; null for others (CMYK), which go to a
    /// general decoder.
    /// </summary>
    /// <remarks>
    /// Three-component DCT files are YCbCr (JFIF) and are converted to RGB at full range, as for DICOM YBR_FULL; lossless
    /// files carry RGB as coded, which every lossless encoder writes.
    /// </remarks>
    /// <exception cref="ImageFormatException">The file is damaged (CorruptFile).</exception>
    /// <exception cref="ImageTooLargeException">A side exceeds <paramref name="maxDimension"/>.</exception>
    public static ScanImage? TryDecodeImage(ReadOnlyMemory<byte> jpeg, int maxDimension)
    {
        try
        {
            JpegHuffmanTables.RequireValid(jpeg.Span);
        }
        catch (DicomFormatException exception)
        {
            throw new ImageFormatException("CorruptFile", $"The JPEG file cannot be decoded: {exception.Reason}.", exception);
        }

        if (TryDecodeLosslessImage(jpeg.Span, maxDimension) is { } losslessImage)
        {
            return losslessImage;
        }

        var decoder = new JpegDecoder();
        decoder.SetInput(jpeg);
        decoder.Identify();
        var components = decoder.NumberOfComponents;
        var lossless = decoder.StartOfFrame is JpegMarker.StartOfFrame3;
        if (components is not (1 or 3) || (decoder.Precision == 8 && !lossless))
        {
            return null;
        }

        Raster.RasterImageReader.RequireWithinLimit(decoder.Width, decoder.Height, maxDimension);
        var (width, height, precision) = (decoder.Width, decoder.Height, decoder.Precision);
        var bytesPerSample = precision > 8 ? 2 : 1;
        var samples = new byte[width * height * components * bytesPerSample];
        decoder.SetOutputWriter(new InterleavedWriter(samples, width, height, components, bytesPerSample, precision));
        decoder.Decode();

        var max = (float)((1 << precision) - 1);
        var pixels = FramePool.Shared.Rent(width * height * components);
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = bytesPerSample == 1 ? samples[i] : System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(samples.AsSpan(i * 2));
        }

        if (components == 3 && !lossless)
        {
            for (var i = 0; i < pixels.Length; i += 3)
            {
                (pixels[i], pixels[i + 1], pixels[i + 2]) = YbrConversion.ToRgb(pixels[i], pixels[i + 1], pixels[i + 2], max);
            }
        }

        return new ScanImage(width, height, components, pixels, components == 1 ? ScanPhotometric.Monochrome2 : ScanPhotometric.Rgb, 0, max, VoiSettings.None);
    }

    // Lossless files go to LosslessJpegDecoder, as DICOM frames do (JpegLibrary mispredicts most of them); null for the
    // ones it leaves to JpegLibrary.
    private static ScanImage? TryDecodeLosslessImage(ReadOnlySpan<byte> jpeg, int maxDimension)
    {
        try
        {
            if (LosslessJpegDecoder.ReadFrame(jpeg) is not { Components: 1 or 3 } frame)
            {
                return null;
            }

            Raster.RasterImageReader.RequireWithinLimit(frame.Width, frame.Height, maxDimension);
            var count = (int)frame.SampleCount;
            var samples = System.Buffers.ArrayPool<ushort>.Shared.Rent(count);
            try
            {
                LosslessJpegDecoder.Decode(jpeg, frame, samples);
                var pixels = FramePool.Shared.Rent(count);
                for (var i = 0; i < count; i++)
                {
                    pixels[i] = samples[i];
                }

                return new ScanImage(frame.Width, frame.Height, frame.Components, pixels, frame.Components == 1 ? ScanPhotometric.Monochrome2 : ScanPhotometric.Rgb, 0, (1 << frame.Precision) - 1, VoiSettings.None);
            }
            finally
            {
                System.Buffers.ArrayPool<ushort>.Shared.Return(samples);
            }
        }
        catch (NotSupportedException)
        {
            return null;
        }
        catch (InvalidDataException exception)
        {
            throw new ImageFormatException("CorruptFile", $"The JPEG file cannot be decoded: {exception.Message}.", exception);
        }
    }

    private sealed class InterleavedWriter(byte[] output, int width, int height, int components, int bytesPerSample, int precision) : JpegBlockOutputWriter
    {
        private readonly int _max = (1 << precision) - 1;

        public override void WriteBlock(ref short blockRef, int componentIndex, int x, int y)
        {
            if (x >= width || y >= height)
            {
                return;
            }

            var writeWidth = Math.Min(width - x, 8);
            var writeHeight = Math.Min(height - y, 8);
            var block = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref blockRef, 64);
            for (var row = 0; row < writeHeight; row++)
            {
                for (var column = 0; column < writeWidth; column++)
                {
                    // Lossless 16-bit samples arrive wrapped into a short; lossy ones may overshoot the range.
                    var raw = block[(row * 8) + column];
                    var value = precision == 16 ? (ushort)raw : Math.Clamp((int)raw, 0, _max);
                    var at = (((((y + row) * width) + x + column) * components) + componentIndex) * bytesPerSample;
                    output[at] = (byte)value;
                    if (bytesPerSample == 2)
                    {
                        output[at + 1] = (byte)(value >> 8);
                    }
                }
            }
        }
    }
}
