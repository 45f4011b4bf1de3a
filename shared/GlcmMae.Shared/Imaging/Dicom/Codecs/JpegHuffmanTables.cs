using System.Buffers.Binary;

namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>
/// Checks the Huffman tables (DHT segments) of a JPEG stream's header before a managed decoder builds them: a damaged
/// table (no codes at all, or more codes of a length than the length can hold) can keep JpegLibrary busy far beyond
/// the file's size (docs/imaging.md, rule 2). The rule is libjpeg's (jdhuff.c): 1 to 256 codes, and canonical codes
/// that fit their lengths without the all-ones code.
/// </summary>
internal static class JpegHuffmanTables
{
    /// <summary>Throws <see cref="DicomFormatException"/> for a DHT segment before the first scan that no decoder should build.</summary>
    public static void RequireValid(ReadOnlySpan<byte> jpeg)
    {
        var at = 2;
        while (at + 4 <= jpeg.Length)
        {
            if (jpeg[at] != 0xFF)
            {
                // Bytes where a marker belongs: decoders skip to the next marker (libjpeg's next_marker), so this does too.
                var next = jpeg[at..].IndexOf((byte)0xFF);
                if (next < 0)
                {
                    return;
                }

                at += next;
                continue;
            }

            var marker = jpeg[at + 1];
            if (marker == 0xFF)
            {
                at++;
                continue;
            }

            if (marker is 0xDA or 0xD9)
            {
                return;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 2)..]);
            if (length < 2 || at + 2 + length > jpeg.Length)
            {
                // Structure errors are the decoder's to report; this check is about tables it would build.
                return;
            }

            if (marker == 0xC4)
            {
                RequireTables(jpeg.Slice(at + 4, length - 2));
            }

            at += 2 + length;
        }
    }

    private static void RequireTables(ReadOnlySpan<byte> segment)
    {
        while (segment.Length > 0)
        {
            if (segment.Length < 17)
            {
                throw Damaged("a Huffman table is cut short");
            }

            var counts = segment.Slice(1, 16);
            var total = 0;
            var code = 0;
            for (var length = 1; length <= 16; length++)
            {
                total += counts[length - 1];
                code += counts[length - 1];
                if (code >= 1 << length)
                {
                    throw Damaged($"a Huffman table has more codes of length {length} than fit");
                }

                code <<= 1;
            }

            if (total is 0 or > 256 || segment.Length < 17 + total)
            {
                throw Damaged($"a Huffman table declares {total} codes");
            }

            segment = segment[(17 + total)..];
        }
    }

    private static DicomFormatException Damaged(string why) => new(-1, $"the JPEG frame cannot be decoded: {why}");
}
