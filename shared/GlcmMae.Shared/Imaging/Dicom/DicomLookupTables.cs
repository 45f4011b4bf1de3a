namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>Reads modality, VOI and palette lookup tables from a dataset (PS3.3 C.11.1, C.11.2, C.7.6.3.1.5-6, C.7.9).</summary>
internal static class DicomLookupTables
{
    public static LookupTable? ReadLut(DicomDataset item, bool signedInput)
    {
        var descriptor = item.GetDoubles(DicomTags.LutDescriptor);
        if (descriptor.Count < 3)
        {
            return null;
        }

        var (entries, firstMapped, bits) = Descriptor(descriptor, signedInput);
        var data = item.GetUInt16Words(DicomTags.LutData);
        return Build(data, entries, firstMapped, bits, "LUT Data (0028,3006)");
    }

    public static LookupTable? ReadPalette(DicomDataset dataset, DicomTag descriptorTag, DicomTag dataTag, DicomTag segmentedTag)
    {
        var descriptor = dataset.GetDoubles(descriptorTag);
        if (descriptor.Count < 3)
        {
            return null;
        }

        var (entries, firstMapped, bits) = Descriptor(descriptor, signedInput: false);
        if (dataset.Contains(segmentedTag))
        {
            var expanded = ExpandSegmented(dataset.GetUInt16Words(segmentedTag), entries);
            return new LookupTable(firstMapped, bits, expanded);
        }

        return Build(dataset.GetUInt16Words(dataTag), entries, firstMapped, bits, $"palette data {dataTag}");
    }

    private static (int Entries, int FirstMapped, int Bits) Descriptor(IReadOnlyList<double> descriptor, bool signedInput)
    {
        // 0 entries means 65536 (C.11.1.1.1); the first mapped value is signed when the input is.
        var entries = (int)descriptor[0] == 0 ? 65536 : (int)descriptor[0];
        var first = (int)descriptor[1];
        if (signedInput && first > short.MaxValue)
        {
            first -= 65536;
        }

        var bits = (int)descriptor[2];
        if (bits is < 1 or > 16 || entries < 1)
        {
            throw new DicomFormatException(-1, $"LUT descriptor ({descriptor[0]}, {descriptor[1]}, {descriptor[2]}) is invalid");
        }

        return (entries, first, bits);
    }

    private static LookupTable Build(ushort[] words, int entries, int firstMapped, int bits, string what)
    {
        if (words.Length >= entries)
        {
            return new LookupTable(firstMapped, bits, words[..entries]);
        }

        if (bits <= 8 && words.Length * 2 >= entries)
        {
            // Some writers pack two 8-bit entries per 16-bit word, low byte first.
            var unpacked = new ushort[entries];
            for (var i = 0; i < entries; i++)
            {
                unpacked[i] = (ushort)((words[i / 2] >> ((i % 2) * 8)) & 0xFF);
            }

            return new LookupTable(firstMapped, bits, unpacked);
        }

        throw new DicomFormatException(-1, $"{what} has {words.Length} entries; its descriptor promises {entries}");
    }

    private static ushort[] ExpandSegmented(ushort[] segments, int entries)
    {
        // Segment opcodes (C.7.9.2): 0 discrete, 1 linear ramp from the previous value, 2 indirect copy of earlier segments.
        var output = new List<ushort>(entries);
        var guard = 0;
        ExpandRange(segments, 0, segments.Length, output, entries, ref guard);
        if (output.Count < entries)
        {
            throw new DicomFormatException(-1, $"segmented palette expands to {output.Count} entries, fewer than {entries}");
        }

        return output.GetRange(0, entries).ToArray();
    }

    private static void ExpandRange(ushort[] segments, int start, int end, List<ushort> output, int entries, ref int guard)
    {
        var i = start;
        while (i + 1 < end && output.Count < entries)
        {
            if (++guard > 1_000_000)
            {
                throw new DicomFormatException(-1, "segmented palette does not terminate");
            }

            var opcode = segments[i];
            var length = segments[i + 1];
            switch (opcode)
            {
                case 0:
                    if (i + 2 + length > end)
                    {
                        throw new DicomFormatException(-1, "segmented palette discrete segment overruns its data");
                    }

                    for (var k = 0; k < length && output.Count < entries; k++)
                    {
                        output.Add(segments[i + 2 + k]);
                    }

                    i += 2 + length;
                    break;
                case 1:
                    if (output.Count == 0 || i + 2 >= end)
                    {
                        throw new DicomFormatException(-1, "segmented palette linear segment has no start value");
                    }

                    var y0 = output[^1];
                    var y1 = segments[i + 2];
                    for (var k = 1; k <= length && output.Count < entries; k++)
                    {
                        output.Add((ushort)Math.Round(y0 + ((y1 - y0) * k / (double)length)));
                    }

                    i += 3;
                    break;
                case 2:
                    if (i + 3 >= end)
                    {
                        throw new DicomFormatException(-1, "segmented palette indirect segment is truncated");
                    }

                    var offset = segments[i + 2] | (segments[i + 3] << 16);
                    var copyStart = offset;
                    for (var k = 0; k < length; k++)
                    {
                        if (copyStart < 0 || copyStart + 1 >= i)
                        {
                            throw new DicomFormatException(-1, "segmented palette indirect segment points forward or outside the table");
                        }

                        var before = copyStart;
                        var segmentLength = segments[copyStart] == 1 ? 3 : segments[copyStart] == 0 ? 2 + segments[copyStart + 1] : 4;
                        if (segments[copyStart] == 2)
                        {
                            throw new DicomFormatException(-1, "segmented palette nests indirect segments");
                        }

                        ExpandRange(segments, before, Math.Min(before + segmentLength, i), output, entries, ref guard);
                        copyStart += segmentLength;
                    }

                    i += 4;
                    break;
                default:
                    throw new DicomFormatException(-1, $"segmented palette has unknown opcode {opcode}");
            }
        }
    }
}
