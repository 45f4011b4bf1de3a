using System.Buffers;
using System.Runtime.InteropServices;

namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>DICOM frames in lossless JPEG (process 14), decoded by <see cref="LosslessJpegDecoder"/> into the normalised frame layout.</summary>
internal static class LosslessJpegCodec
{
    /// <summary>
    /// Decodes a lossless JPEG frame into normalised bytes (little endian, samples interleaved); null when the stream is
    /// not lossless or uses something <see cref="LosslessJpegDecoder"/> leaves to the general decoder.
    /// </summary>
    /// <exception cref="DicomFormatException">The frame is damaged or disagrees with the dataset (CorruptFile).</exception>
    public static byte[]? TryDecode(ReadOnlySpan<byte> jpeg, DicomPixelData pixelData)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        if (pixelData.BytesPerSample > 2 || !BitConverter.IsLittleEndian)
        {
            return null;
        }

        try
        {
            if (LosslessJpegDecoder.ReadFrame(jpeg) is not { } frame)
            {
                return null;
            }

            // Checked before anything is allocated: the output is the dataset's frame, whose size the limits bound.
            if (frame.Width != pixelData.Columns || frame.Height != pixelData.Rows || frame.Components != pixelData.SamplesPerPixel || frame.Precision > pixelData.BytesPerSample * 8)
            {
                throw new DicomFormatException(-1, $"the JPEG stream is {frame.Width}x{frame.Height} with {frame.Components} component(s) of {frame.Precision} bits but the dataset says {pixelData.Columns}x{pixelData.Rows} with {pixelData.SamplesPerPixel} of {pixelData.BitsAllocated} bits");
            }

            var output = new byte[pixelData.FrameLength];
            if (pixelData.BytesPerSample == 2)
            {
                LosslessJpegDecoder.Decode(jpeg, frame, MemoryMarshal.Cast<byte, ushort>(output.AsSpan()));
                return output;
            }

            var samples = ArrayPool<ushort>.Shared.Rent(output.Length);
            try
            {
                LosslessJpegDecoder.Decode(jpeg, frame, samples);
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] = (byte)samples[i];
                }
            }
            finally
            {
                ArrayPool<ushort>.Shared.Return(samples);
            }

            return output;
        }
        catch (NotSupportedException)
        {
            return null;
        }
        catch (InvalidDataException exception)
        {
            throw new DicomFormatException(-1, $"the JPEG lossless frame cannot be decoded: {exception.Message}", exception);
        }
    }
}
