using System.Buffers.Binary;

namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, one PackBits segment per byte plane.</summary>
public static class RleCodec
{
    /// <summary>Decodes one RLE frame into normalised bytes (little endian, samples interleaved).</summary>
    public static byte[] Decode(ReadOnlySpan<byte> frame, DicomPixelData pixelData)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        if (pixelData.BitsAllocated == 1)
        {
            throw new DicomFormatException(-1, "RLE with BitsAllocated 1 is not supported");
        }

        return Decode(frame, pixelData.Rows, pixelData.Columns, pixelData.SamplesPerPixel, pixelData.BytesPerSample);
    }

    /// <summary>Decodes one RLE frame of the given geometry.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> frame, int rows, int columns, int samples, int bytesPerSample)
    {
        if (frame.Length < 64)
        {
            throw new DicomFormatException(-1, $"RLE frame of {frame.Length} bytes is shorter than its 64-byte header");
        }

        var segmentCount = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        var expected = samples * bytesPerSample;
        if (segmentCount != expected)
        {
            throw new DicomFormatException(-1, $"RLE header lists {segmentCount} segments; {samples} sample(s) of {bytesPerSample} byte(s) need {expected}");
        }

        var pixels = rows * columns;
        var output = new byte[pixels * expected];
        var plane = new byte[pixels];
        for (var segment = 0; segment < segmentCount; segment++)
        {
            var start = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + (segment * 4))..]);
            var end = segment + 1 < segmentCount ? BinaryPrimitives.ReadUInt32LittleEndian(frame[(8 + (segment * 4))..]) : (uint)frame.Length;
            if (start < 64 || start > end || end > frame.Length)
            {
                throw new DicomFormatException(-1, $"RLE segment {segment} spans bytes {start}..{end} of a {frame.Length}-byte frame");
            }

            DecodeSegment(frame[(int)start..(int)end], plane, segment);

            // Segments run most significant byte first per sample (G.2): map to little-endian interleaved bytes.
            var sample = segment / bytesPerSample;
            var byteInSample = bytesPerSample - 1 - (segment % bytesPerSample);
            for (int p = 0, o = (sample * bytesPerSample) + byteInSample; p < pixels; p++, o += expected)
            {
                output[o] = plane[p];
            }
        }

        return output;
    }

    private static void DecodeSegment(ReadOnlySpan<byte> segment, Span<byte> plane, int index)
    {
        var written = 0;
        var read = 0;
        while (written < plane.Length && read < segment.Length)
        {
            var header = (sbyte)segment[read++];
            if (header >= 0)
            {
                var count = header + 1;
                if (read + count > segment.Length || written + count > plane.Length)
                {
                    throw new DicomFormatException(-1, $"RLE segment {index} literal run overruns its data");
                }

                segment.Slice(read, count).CopyTo(plane[written..]);
                read += count;
                written += count;
            }
            else if (header != -128)
            {
                var count = 1 - header;
                if (read >= segment.Length || written + count > plane.Length)
                {
                    throw new DicomFormatException(-1, $"RLE segment {index} replicate run overruns its data");
                }

                plane.Slice(written, count).Fill(segment[read++]);
                written += count;
            }
        }

        if (written < plane.Length)
        {
            throw new DicomFormatException(-1, $"RLE segment {index} decodes to {written} bytes, expected {plane.Length}");
        }
    }
}
