using System.Buffers.Binary;

namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>Finds the fragments of one frame in encapsulated pixel data (PS3.5 A.4).</summary>
internal static class EncapsulatedFrames
{
    public static ReadOnlyMemory<byte> GetFrame(DicomFragments fragments, DicomDataset dataset, int frameCount, int index, DicomTransferSyntax transferSyntax)
    {
        var all = fragments.Fragments;
        if (all.Count == 0)
        {
            throw new DicomFormatException(-1, "encapsulated pixel data has no fragments");
        }

        // 1. The Extended Offset Table, when present, is authoritative (PS3.3 C.7.6.3.1.8).
        if (dataset.Get(DicomTags.ExtendedOffsetTable) is { } eot && !eot.Value.IsEmpty)
        {
            var offsets = ReadUInt64s(eot.Value.Span);
            var lengths = dataset.Get(DicomTags.ExtendedOffsetTableLengths) is { } l ? ReadUInt64s(l.Value.Span) : [];
            if (offsets.Length == frameCount && lengths.Length == frameCount)
            {
                var start = FindFragment(fragments, (long)offsets[index]);
                var length = (int)lengths[index];
                if (start < 0 || all[start].Length < length)
                {
                    throw new DicomFormatException(-1, $"Extended Offset Table entry {index} does not point at a whole fragment");
                }

                return all[start][..length];
            }
        }

        // 2. A Basic Offset Table with one entry per frame.
        var bot = fragments.BasicOffsetTable;
        if (bot.Count == frameCount && frameCount > 0)
        {
            var first = FindFragment(fragments, bot[index]);
            var last = index + 1 < frameCount ? FindFragment(fragments, bot[index + 1]) : all.Count;
            if (first < 0 || last < 0 || last <= first)
            {
                throw new DicomFormatException(-1, $"Basic Offset Table entry {index} ({bot[index]}) does not point at a fragment");
            }

            return Concatenate(all, first, last);
        }

        // 3. No usable table: one frame takes every fragment; one fragment per frame is unambiguous.
        if (frameCount == 1)
        {
            return Concatenate(all, 0, all.Count);
        }

        if (all.Count == frameCount)
        {
            return all[index];
        }

        // 4. Multi-frame without a table: frames start at fragments that begin with the codec's start marker.
        var starts = new List<int>();
        for (var i = 0; i < all.Count; i++)
        {
            if (StartsFrame(all[i].Span, transferSyntax.Compression))
            {
                starts.Add(i);
            }
        }

        if (starts.Count != frameCount || starts[0] != 0)
        {
            throw new DicomFormatException(-1, $"cannot tell which of {all.Count} fragments belong to each of {frameCount} frames (no offset table)");
        }

        return Concatenate(all, starts[index], index + 1 < frameCount ? starts[index + 1] : all.Count);
    }

    private static bool StartsFrame(ReadOnlySpan<byte> fragment, DicomCompression compression) => compression switch
    {
        DicomCompression.JpegBaseline or DicomCompression.JpegExtended or DicomCompression.JpegLossless or DicomCompression.JpegLs =>
            fragment.Length >= 2 && fragment[0] == 0xFF && fragment[1] == 0xD8,
        DicomCompression.Jpeg2000 or DicomCompression.HighThroughputJpeg2000 =>
            fragment.Length >= 4 && ((fragment[0] == 0xFF && fragment[1] == 0x4F && fragment[2] == 0xFF && fragment[3] == 0x51)
                || Codecs.Jpeg2000Header.IsJp2(fragment)),
        _ => false,
    };

    private static int FindFragment(DicomFragments fragments, long offset)
    {
        for (var i = 0; i < fragments.FragmentOffsets.Count; i++)
        {
            if (fragments.FragmentOffsets[i] == offset)
            {
                return i;
            }
        }

        return -1;
    }

    private static ReadOnlyMemory<byte> Concatenate(IReadOnlyList<ReadOnlyMemory<byte>> fragments, int first, int last)
    {
        if (last - first == 1)
        {
            return fragments[first];
        }

        var total = 0;
        for (var i = first; i < last; i++)
        {
            total = checked(total + fragments[i].Length);
        }

        var joined = new byte[total];
        var at = 0;
        for (var i = first; i < last; i++)
        {
            fragments[i].Span.CopyTo(joined.AsSpan(at));
            at += fragments[i].Length;
        }

        return joined;
    }

    private static ulong[] ReadUInt64s(ReadOnlySpan<byte> span)
    {
        var values = new ulong[span.Length / 8];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt64LittleEndian(span[(i * 8)..]);
        }

        return values;
    }
}
