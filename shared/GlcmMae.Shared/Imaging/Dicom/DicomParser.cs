using System.Buffers.Binary;
using System.IO.Compression;

namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>Parses a DICOM Part 10 file or a bare dataset held in memory (PS3.10 7, PS3.5 7).</summary>
internal sealed class DicomParser
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private static readonly DicomTag ItemTag = DicomTags.Item;
    private static readonly DicomTag ItemDelimiter = DicomTags.ItemDelimitationItem;
    private static readonly DicomTag SequenceDelimiter = DicomTags.SequenceDelimitationItem;

    private readonly DicomReaderOptions _options;
    private readonly DicomReadMode _mode;
    private ReadOnlyMemory<byte> _buffer;
    private bool _explicitVR;
    private bool _bigEndian;
    private bool _stoppedAtPixelData;

    private DicomParser(ReadOnlyMemory<byte> buffer, DicomReaderOptions options, DicomReadMode mode)
    {
        _buffer = buffer;
        _options = options;
        _mode = mode;
    }

    public static DicomFile Parse(ReadOnlyMemory<byte> bytes, DicomReaderOptions options, DicomReadMode mode)
    {
        if (bytes.Length > options.MaxFileBytes)
        {
            throw new Imaging.ImageTooLargeException($"The DICOM file is {bytes.Length} bytes; the limit is {options.MaxFileBytes} (Imaging:Dicom:MaxFileBytes).");
        }

        return new DicomParser(bytes, options, mode).ParseFile();
    }

    private DicomFile ParseFile()
    {
        var span = _buffer.Span;
        long position = 0;
        var hasPreamble = span.Length >= 132 && span.Slice(128, 4).SequenceEqual("DICM"u8);
        if (hasPreamble)
        {
            position = 132;
        }
        else if (span.Length >= 4 && span[..4].SequenceEqual("DICM"u8))
        {
            // Some writers drop the preamble but keep the prefix.
            position = 4;
        }

        var meta = new DicomDataset();
        if (position + 8 <= span.Length && ReadUInt16(span, (int)position, bigEndian: false) == 0x0002)
        {
            // The file meta group is always explicit VR little endian (PS3.10 7.1), though some writers use implicit VR.
            _explicitVR = LooksExplicit(span, position);
            _bigEndian = false;
            position = ReadDataset(meta, position, _buffer.Length, depth: 0, stopAtGroupChange: 0x0002);
        }
        else if (!hasPreamble && !LooksLikeDataset(span))
        {
            throw new DicomFormatException(0, "neither a DICOM Part 10 file (no \"DICM\" prefix at byte 128) nor a bare DICOM dataset");
        }

        var transferSyntax = meta.GetString(DicomTags.TransferSyntaxUid) is { } uid
            ? DicomTransferSyntax.Lookup(uid)
            : GuessTransferSyntax(span, position);

        if (transferSyntax.IsDeflated)
        {
            _buffer = Inflate(_buffer[(int)position..], position);
            position = 0;
        }

        _explicitVR = transferSyntax.IsExplicitVR;
        _bigEndian = transferSyntax.IsBigEndian;
        if (_explicitVR && position + 6 <= _buffer.Length && !LooksExplicit(_buffer.Span, position))
        {
            // A dataset that claims explicit VR but is written implicit: read what is there (common in old archives).
            _explicitVR = false;
        }

        var dataset = new DicomDataset();
        ReadDataset(dataset, position, _buffer.Length, depth: 0, stopAtGroupChange: null);
        return new DicomFile(meta, dataset, transferSyntax, _stoppedAtPixelData);
    }

    private long ReadDataset(DicomDataset dataset, long position, long end, int depth, ushort? stopAtGroupChange)
    {
        var span = _buffer.Span;
        while (position < end)
        {
            if (end - position < 8)
            {
                if (IsPadding(span, position, end))
                {
                    return end;
                }

                throw new DicomFormatException(position, $"{end - position} bytes left where an element header (8 bytes) was expected; the file is truncated");
            }

            var group = ReadUInt16(span, (int)position, _bigEndian);
            var elementNumber = ReadUInt16(span, (int)position + 2, _bigEndian);
            var tag = new DicomTag(group, elementNumber);
            if (stopAtGroupChange is { } metaGroup && group != metaGroup)
            {
                return position;
            }

            if (tag == ItemDelimiter)
            {
                // Caller (an undefined-length item) consumes the delimiter.
                return position;
            }

            if (tag == ItemTag || tag == SequenceDelimiter)
            {
                throw new DicomFormatException(position, $"unexpected {(tag == ItemTag ? "item" : "sequence delimiter")} tag outside a sequence");
            }

            var elementStart = position;
            var (vr, length, headerLength) = ReadHeader(span, position, tag);
            position += headerLength;

            if (depth == 0 && _mode == DicomReadMode.MetadataOnly && IsPixelDataTag(tag))
            {
                _stoppedAtPixelData = true;
                return end;
            }

            if (length == UndefinedLength)
            {
                if (IsPixelDataTag(tag))
                {
                    var (fragments, next) = ReadFragments(position, end);
                    dataset.Set(DicomElement.CreateEncapsulated(tag, vr, fragments, elementStart));
                    position = next;
                }
                else if (vr is DicomVR.SQ or DicomVR.UN)
                {
                    // UN with undefined length is a sequence encoded in implicit VR little endian (PS3.5 6.2.2).
                    var (items, next) = ReadSequence(dataset, position, end, depth + 1, undefinedLength: true, implicitContent: vr == DicomVR.UN);
                    dataset.Set(DicomElement.CreateSequence(tag, items, elementStart));
                    position = next;
                }
                else
                {
                    throw new DicomFormatException(elementStart, $"element {tag} ({vr}) has an undefined length, which only sequences and pixel data may have");
                }

                continue;
            }

            if (length > end - position)
            {
                throw new DicomFormatException(elementStart, $"element {tag} declares {length} bytes but only {end - position} remain");
            }

            if (vr == DicomVR.SQ)
            {
                var (items, _) = ReadSequence(dataset, position, position + length, depth + 1, undefinedLength: false, implicitContent: false);
                dataset.Set(DicomElement.CreateSequence(tag, items, elementStart));
            }
            else
            {
                dataset.Set(DicomElement.CreateValue(tag, vr, _buffer.Slice((int)position, (int)length), _bigEndian, elementStart));
            }

            position += length;
        }

        return position;
    }

    private (DicomVR VR, long Length, int HeaderLength) ReadHeader(ReadOnlySpan<byte> span, long position, DicomTag tag)
    {
        var at = (int)position;
        if (_explicitVR && DicomVRInfo.TryParse(span[at + 4], span[at + 5], out var vr))
        {
            if (!DicomVRInfo.HasLongLength(vr))
            {
                return (vr, ReadUInt16(span, at + 6, _bigEndian), 8);
            }

            if (span.Length - at < 12)
            {
                throw new DicomFormatException(position, $"element {tag} header is truncated");
            }

            return (vr, ReadUInt32(span, at + 8, _bigEndian), 12);
        }

        // Implicit VR, or bytes that are no VR in an explicit file: read as implicit, as other toolkits tolerate.
        return (DicomTags.LookupVR(tag), ReadUInt32(span, at + 4, _bigEndian), 8);
    }

    private (IReadOnlyList<DicomDataset> Items, long Next) ReadSequence(DicomDataset parent, long position, long end, int depth, bool undefinedLength, bool implicitContent)
    {
        if (depth > _options.MaxSequenceDepth)
        {
            throw new DicomFormatException(position, $"sequences are nested deeper than {_options.MaxSequenceDepth} levels (Imaging:Dicom:MaxSequenceDepth)");
        }

        var savedExplicit = _explicitVR;
        var savedBigEndian = _bigEndian;
        if (implicitContent)
        {
            _explicitVR = false;
            _bigEndian = false;
        }

        try
        {
            var span = _buffer.Span;
            var items = new List<DicomDataset>();
            while (position < end)
            {
                if (end - position < 8)
                {
                    throw new DicomFormatException(position, "sequence is truncated inside an item header");
                }

                var tag = new DicomTag(ReadUInt16(span, (int)position, _bigEndian), ReadUInt16(span, (int)position + 2, _bigEndian));
                var length = ReadUInt32(span, (int)position + 4, _bigEndian);
                if (tag == SequenceDelimiter)
                {
                    return (items, position + 8);
                }

                if (tag != ItemTag)
                {
                    throw new DicomFormatException(position, $"expected an item tag (FFFE,E000) in a sequence but found {tag}");
                }

                var itemStart = position + 8;
                var item = new DicomDataset();
                item.InheritTextEncoding(parent);
                if (length == UndefinedLength)
                {
                    var next = ReadDataset(item, itemStart, end, depth, stopAtGroupChange: null);
                    if (next + 8 > end || new DicomTag(ReadUInt16(span, (int)next, _bigEndian), ReadUInt16(span, (int)next + 2, _bigEndian)) != ItemDelimiter)
                    {
                        throw new DicomFormatException(next, "item of undefined length ends without an item delimiter (FFFE,E00D)");
                    }

                    position = next + 8;
                }
                else
                {
                    if (length > end - itemStart)
                    {
                        throw new DicomFormatException(position, $"item declares {length} bytes but only {end - itemStart} remain");
                    }

                    ReadDataset(item, itemStart, itemStart + length, depth, stopAtGroupChange: null);
                    position = itemStart + length;
                }

                items.Add(item);
            }

            if (undefinedLength)
            {
                throw new DicomFormatException(position, "sequence of undefined length ends without a sequence delimiter (FFFE,E0DD)");
            }

            return (items, position);
        }
        finally
        {
            _explicitVR = savedExplicit;
            _bigEndian = savedBigEndian;
        }
    }

    private (DicomFragments Fragments, long Next) ReadFragments(long position, long end)
    {
        var span = _buffer.Span;
        var offsets = new List<uint>();
        var fragments = new List<ReadOnlyMemory<byte>>();
        var fragmentOffsets = new List<long>();
        var first = true;
        long firstFragmentStart = -1;
        while (position + 8 <= end)
        {
            var tag = new DicomTag(ReadUInt16(span, (int)position, _bigEndian), ReadUInt16(span, (int)position + 2, _bigEndian));
            var length = ReadUInt32(span, (int)position + 4, _bigEndian);

            // PS3.5 A.4 ends the fragments with a sequence delimiter of length 0; some writers give it a length, or
            // write an item delimiter in its place. Either ends them here.
            if (tag == SequenceDelimiter || tag == ItemDelimiter)
            {
                return (new DicomFragments(offsets, fragments, fragmentOffsets), position + 8);
            }

            if (tag != ItemTag)
            {
                throw new DicomFormatException(position, $"expected a fragment item (FFFE,E000) in encapsulated pixel data but found {tag}");
            }

            if (length == UndefinedLength || length > end - position - 8)
            {
                throw new DicomFormatException(position, $"pixel data fragment declares {(length == UndefinedLength ? "an undefined length" : $"{length} bytes")} but only {end - position - 8} remain");
            }

            var payload = _buffer.Slice((int)position + 8, (int)length);
            if (first)
            {
                // The first item is the Basic Offset Table (PS3.5 A.4), possibly empty.
                if (length % 4 != 0)
                {
                    throw new DicomFormatException(position, $"Basic Offset Table length {length} is not a multiple of 4");
                }

                for (var i = 0; i < payload.Length; i += 4)
                {
                    offsets.Add(ReadUInt32(payload.Span, i, bigEndian: false));
                }

                first = false;
            }
            else
            {
                if (firstFragmentStart < 0)
                {
                    firstFragmentStart = position;
                }

                fragmentOffsets.Add(position - firstFragmentStart);
                fragments.Add(payload);
            }

            position += 8 + length;
        }

        // The file ends after a whole fragment without a sequence delimiter: devices write this, and other toolkits
        // read it. Some count the delimiter into the last item's length instead of writing it after the item, which
        // leaves its 8 bytes at the end of the last fragment; they are not part of the frame.
        if (end - position < 8 && IsPadding(span, position, end))
        {
            if (fragments.Count > 0 && fragments[^1].Span.EndsWith(SequenceDelimiterBytes))
            {
                fragments[^1] = fragments[^1][..^SequenceDelimiterBytes.Length];
            }

            return (new DicomFragments(offsets, fragments, fragmentOffsets), end);
        }

        throw new DicomFormatException(position, "encapsulated pixel data ends without a sequence delimiter (FFFE,E0DD)");
    }

    /// <summary>A little-endian sequence delimiter item: tag (FFFE,E0DD) and length 0.</summary>
    private static ReadOnlySpan<byte> SequenceDelimiterBytes => [0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0];

    private ReadOnlyMemory<byte> Inflate(ReadOnlyMemory<byte> deflated, long offset)
    {
        try
        {
            using var input = new MemoryStream(deflated.ToArray(), writable: false);
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = inflater.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (output.Length + read > _options.MaxFileBytes)
                {
                    throw new Imaging.ImageTooLargeException($"The deflated dataset inflates beyond {_options.MaxFileBytes} bytes (Imaging:Dicom:MaxFileBytes).");
                }

                output.Write(chunk, 0, read);
            }

            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new DicomFormatException(offset, "the deflated dataset is not valid deflate data", ex);
        }
    }

    private static bool IsPixelDataTag(DicomTag tag) =>
        tag == DicomTags.PixelData || tag == DicomTags.FloatPixelData || tag == DicomTags.DoubleFloatPixelData;

    private static bool LooksExplicit(ReadOnlySpan<byte> span, long position) =>
        position + 6 <= span.Length && DicomVRInfo.TryParse(span[(int)position + 4], span[(int)position + 5], out _);

    private static bool LooksLikeDataset(ReadOnlySpan<byte> span)
    {
        // A bare dataset starts with a low group number (0x0008 in practice), in either byte order.
        if (span.Length < 8)
        {
            return false;
        }

        var little = BinaryPrimitives.ReadUInt16LittleEndian(span);
        var big = BinaryPrimitives.ReadUInt16BigEndian(span);
        return little is >= 0x0002 and <= 0x0028 || big is >= 0x0002 and <= 0x0028;
    }

    private static DicomTransferSyntax GuessTransferSyntax(ReadOnlySpan<byte> span, long position)
    {
        if (position + 8 > span.Length)
        {
            return DicomTransferSyntax.ImplicitVRLittleEndian;
        }

        var explicitVR = LooksExplicit(span, position);
        var little = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)position..]);
        var bigEndian = little > 0x00FF && BinaryPrimitives.ReadUInt16BigEndian(span[(int)position..]) <= 0x00FF;
        return (explicitVR, bigEndian) switch
        {
            (true, true) => DicomTransferSyntax.ExplicitVRBigEndian,
            (true, false) => DicomTransferSyntax.ExplicitVRLittleEndian,
            _ => DicomTransferSyntax.ImplicitVRLittleEndian,
        };
    }

    private static bool IsPadding(ReadOnlySpan<byte> span, long position, long end)
    {
        for (var i = position; i < end; i++)
        {
            if (span[(int)i] != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> span, int offset, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span[offset..]) : BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]);

    private static uint ReadUInt32(ReadOnlySpan<byte> span, int offset, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span[offset..]) : BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]);
}
