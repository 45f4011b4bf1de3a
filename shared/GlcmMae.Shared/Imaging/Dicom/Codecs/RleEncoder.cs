using System.Buffers.Binary;

namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>Encodes frames as RLE Lossless (PS3.5 Annex G), each row of each byte plane PackBits-coded separately.</summary>
public static class RleEncoder
{
    /// <summary>Encodes one little-endian, sample-interleaved frame.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> frame, int rows, int columns, int samples, int bytesPerSample)
    {
        var segmentCount = samples * bytesPerSample;
        if (segmentCount > 15)
        {
            throw new ArgumentException("RLE supports at most 15 segments.", nameof(samples));
        }

        var stride = segmentCount;
        if (frame.Length < rows * columns * stride)
        {
            throw new ArgumentException($"Frame holds {frame.Length} bytes, expected {rows * columns * stride}.", nameof(frame));
        }

        using var output = new MemoryStream();
        output.Write(new byte[64]);
        var header = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)segmentCount);
        var row = new byte[columns];
        for (var segment = 0; segment < segmentCount; segment++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4 + (segment * 4)), (uint)output.Length);
            var sample = segment / bytesPerSample;
            var byteInSample = bytesPerSample - 1 - (segment % bytesPerSample);
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    row[c] = frame[(((r * columns) + c) * stride) + (sample * bytesPerSample) + byteInSample];
                }

                PackBits(row, output);
            }

            if (output.Length % 2 == 1)
            {
                output.WriteByte(0);
            }
        }

        var bytes = output.ToArray();
        header.CopyTo(bytes, 0);
        return bytes;
    }

    private static void PackBits(ReadOnlySpan<byte> data, Stream output)
    {
        var i = 0;
        while (i < data.Length)
        {
            var run = 1;
            while (i + run < data.Length && run < 128 && data[i + run] == data[i])
            {
                run++;
            }

            if (run >= 2)
            {
                output.WriteByte((byte)(sbyte)(1 - run));
                output.WriteByte(data[i]);
                i += run;
                continue;
            }

            var literal = 1;
            while (i + literal < data.Length && literal < 128 &&
                   !(i + literal + 1 < data.Length && data[i + literal] == data[i + literal + 1]))
            {
                literal++;
            }

            output.WriteByte((byte)(literal - 1));
            output.Write(data.Slice(i, literal));
            i += literal;
        }
    }
}
