namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>
/// A Huffman table of lossless JPEG difference categories (ITU-T T.81 H.1.2.2: the symbol is SSSS, 0 to 16, followed by
/// SSSS extra bits), with a lookahead table so that a short code and its extra bits decode in one lookup.
/// </summary>
/// <remarks>
/// The lookahead entry packs: bits 0-4 the bits to consume (0 when the code is longer than the lookahead), bit 5 set
/// when the entry holds the whole difference (code and extra bits fit), and bits 8-31 the difference or the symbol. The
/// table is built by T.81 Annex C and refused by libjpeg's rule (jdhuff.c): 1 to 256 codes that fit their lengths.
/// </remarks>
internal sealed class LosslessJpegHuffmanTable
{
    /// <summary>Bits the lookahead table decodes at once.</summary>
    public const int LookaheadBits = 11;

    private const int Complete = 0x20;

    private readonly int[] _lookahead = new int[1 << LookaheadBits];

    // Canonical decoding for codes longer than the lookahead (T.81 F.2.2.3): the largest code of each length and the
    // offset from a code to its symbol's index.
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valueOffset = new int[17];
    private readonly byte[] _values;

    private LosslessJpegHuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values)
    {
        _values = values.ToArray();
        Span<int> codes = stackalloc int[values.Length];
        Span<int> sizes = stackalloc int[values.Length];
        var code = 0;
        var k = 0;
        for (var length = 1; length <= 16; length++)
        {
            _valueOffset[length] = k - code;
            for (var i = 0; i < counts[length - 1]; i++)
            {
                codes[k] = code++;
                sizes[k++] = length;
            }

            if (code >= 1 << length)
            {
                throw new InvalidDataException($"the Huffman table has more codes of length {length} than fit");
            }

            _maxCode[length] = counts[length - 1] > 0 ? code - 1 : -1;
            code <<= 1;
        }

        // A sentinel that ends the slow search whatever the 17th bit.
        _maxCode[17] = int.MaxValue;
        for (var i = 0; i < values.Length; i++)
        {
            if (sizes[i] > LookaheadBits)
            {
                continue;
            }

            int symbol = values[i];
            var spare = LookaheadBits - sizes[i];
            var first = codes[i] << spare;
            for (var fill = 0; fill < 1 << spare; fill++)
            {
                var index = first | fill;
                if (symbol == 16)
                {
                    _lookahead[index] = (32768 << 8) | Complete | sizes[i];
                }
                else if (sizes[i] + symbol <= LookaheadBits)
                {
                    var extra = (fill >> (spare - symbol)) & ((1 << symbol) - 1);
                    _lookahead[index] = (Extend(extra, symbol) << 8) | Complete | (sizes[i] + symbol);
                }
                else
                {
                    _lookahead[index] = (symbol << 8) | sizes[i];
                }
            }
        }
    }

    /// <summary>Reads the tables of one DHT segment body (T.81 B.2.4.2) into <paramref name="tables"/> by their Th.</summary>
    /// <exception cref="InvalidDataException">A table is cut short, empty, too large or over-full.</exception>
    public static void Read(ReadOnlySpan<byte> segment, LosslessJpegHuffmanTable?[] tables)
    {
        while (segment.Length > 0)
        {
            if (segment.Length < 17)
            {
                throw new InvalidDataException("a Huffman table is cut short");
            }

            var destination = segment[0] & 0x0F;
            if (destination > 3 || segment[0] >> 4 > 1)
            {
                throw new InvalidDataException($"a Huffman table has class/destination 0x{segment[0]:X2}");
            }

            var counts = segment.Slice(1, 16);
            var total = 0;
            foreach (var count in counts)
            {
                total += count;
            }

            if (total is 0 or > 256 || segment.Length < 17 + total)
            {
                throw new InvalidDataException($"a Huffman table declares {total} codes");
            }

            // Lossless scans use the DC table class (T.81 H.2.2), whose symbols are categories 0 to 16; an AC table is
            // read past but never used.
            var values = segment.Slice(17, total);
            if (segment[0] >> 4 == 0)
            {
                foreach (var value in values)
                {
                    if (value > 16)
                    {
                        throw new InvalidDataException($"a Huffman table holds difference category {value} (at most 16)");
                    }
                }

                tables[destination] = new LosslessJpegHuffmanTable(counts, values);
            }

            segment = segment[(17 + total)..];
        }
    }

    /// <summary>Decodes one difference (T.81 H.2.2, with F.2.2.1's extension of the extra bits).</summary>
    /// <remarks>The reader must hold at least 32 bits: a code of up to 16 and up to 16 extra bits.</remarks>
    /// <exception cref="InvalidDataException">The bits are no code of the table.</exception>
    public int DecodeDifference(ref LosslessJpegBitReader reader)
    {
        var entry = _lookahead[reader.Peek(LookaheadBits)];
        if ((entry & Complete) != 0)
        {
            reader.Skip(entry & 0x1F);
            return entry >> 8;
        }

        int symbol;
        if ((entry & 0x1F) != 0)
        {
            reader.Skip(entry & 0x1F);
            symbol = entry >> 8;
        }
        else
        {
            symbol = DecodeLongCode(ref reader);
        }

        return symbol == 16 ? 32768 : Extend(reader.Take(symbol), symbol);
    }

    private int DecodeLongCode(ref LosslessJpegBitReader reader)
    {
        var bits = reader.Peek(17);
        var length = LookaheadBits + 1;
        var code = bits >> (17 - length);
        while (code > _maxCode[length])
        {
            length++;
            code = bits >> (17 - length);
        }

        if (length > 16)
        {
            throw new InvalidDataException("the entropy-coded data holds a bit pattern that is no Huffman code of its table");
        }

        reader.Skip(length);
        return _values[code + _valueOffset[length]];
    }

    // T.81 F.2.2.1 EXTEND: the extra bits give a value of magnitude category s, negative when its top bit is 0.
    private static int Extend(int value, int category) =>
        category == 0 ? 0 : value < 1 << (category - 1) ? value - (1 << category) + 1 : value;
}
