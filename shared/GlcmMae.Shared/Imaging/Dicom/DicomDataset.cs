using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>An ordered set of data elements with typed accessors; values are decoded on demand.</summary>
public sealed class DicomDataset
{
    private readonly SortedDictionary<DicomTag, DicomElement> _elements = [];
    private Encoding _textEncoding = Encoding.Latin1;

    /// <summary>The elements in tag order.</summary>
    public IEnumerable<DicomElement> Elements => _elements.Values;

    /// <summary>Number of elements at this level.</summary>
    public int Count => _elements.Count;

    /// <summary>True when the element is present (possibly empty).</summary>
    public bool Contains(DicomTag tag) => _elements.ContainsKey(tag);

    /// <summary>Adds or replaces an element.</summary>
    public void Set(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        _elements[element.Tag] = element;
        if (element.Tag == DicomTags.SpecificCharacterSet)
        {
            _textEncoding = EncodingFor(DecodeText(element.Value.Span, Encoding.ASCII));
        }
    }

    /// <summary>Removes an element if present.</summary>
    public bool Remove(DicomTag tag) => _elements.Remove(tag);

    /// <summary>The element, or null when absent.</summary>
    public DicomElement? Get(DicomTag tag) => _elements.GetValueOrDefault(tag);

    /// <summary>Inherits the character set of an enclosing dataset (sequence items, PS3.5 6.1.2.5.3).</summary>
    internal void InheritTextEncoding(DicomDataset parent)
    {
        if (!Contains(DicomTags.SpecificCharacterSet))
        {
            _textEncoding = parent._textEncoding;
        }
    }

    /// <summary>The whole text value with padding removed, or null when absent or empty.</summary>
    public string? GetString(DicomTag tag)
    {
        var element = Get(tag);
        if (element is null || element.Value.IsEmpty)
        {
            return null;
        }

        var text = DecodeText(element.Value.Span, _textEncoding);
        return text.Length == 0 ? null : text;
    }

    /// <summary>The backslash-separated values of a text element (each trimmed); empty when absent.</summary>
    public IReadOnlyList<string> GetStrings(DicomTag tag)
    {
        var text = GetString(tag);
        return text is null ? [] : text.Split('\\').Select(v => v.Trim()).ToArray();
    }

    /// <summary>Value <paramref name="index"/> as a number, from any numeric VR or a decimal/integer string; null when absent or unparsable.</summary>
    public double? GetDouble(DicomTag tag, int index = 0)
    {
        var values = GetDoubles(tag);
        return index < values.Count ? values[index] : null;
    }

    /// <summary>All values of an element as numbers (binary VRs, or DS/IS strings); empty when absent.</summary>
    public IReadOnlyList<double> GetDoubles(DicomTag tag)
    {
        var element = Get(tag);
        if (element is null || element.Value.IsEmpty)
        {
            return [];
        }

        var vr = element.VR is DicomVR.UN or DicomVR.None ? DicomTags.LookupVR(tag) : element.VR;
        if (DicomVRInfo.IsText(vr))
        {
            var values = new List<double>();
            foreach (var part in GetStrings(tag))
            {
                if (double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed))
                {
                    values.Add(parsed);
                }
            }

            return values;
        }

        return DecodeBinary(element.Value.Span, vr, element.IsBigEndian);
    }

    /// <summary>Value <paramref name="index"/> as an integer (rounded toward zero), or null when absent.</summary>
    public int? GetInt32(DicomTag tag, int index = 0)
    {
        var value = GetDouble(tag, index);
        return value is { } v && v is >= int.MinValue and <= int.MaxValue ? (int)v : null;
    }

    /// <summary>The items of a sequence element; empty when absent or not a sequence.</summary>
    public IReadOnlyList<DicomDataset> GetSequence(DicomTag tag) => Get(tag)?.Items ?? [];

    /// <summary>Reads 16-bit words of an OW/US element in host order (for LUT data).</summary>
    public ushort[] GetUInt16Words(DicomTag tag)
    {
        var element = Get(tag);
        if (element is null)
        {
            return [];
        }

        var span = element.Value.Span;
        var words = new ushort[span.Length / 2];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = element.IsBigEndian
                ? BinaryPrimitives.ReadUInt16BigEndian(span[(i * 2)..])
                : BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 2)..]);
        }

        return words;
    }

    private static List<double> DecodeBinary(ReadOnlySpan<byte> span, DicomVR vr, bool bigEndian)
    {
        var size = DicomVRInfo.ValueSize(vr);
        var values = new List<double>(span.Length / Math.Max(size, 1));
        for (var offset = 0; offset + size <= span.Length; offset += size)
        {
            var value = span.Slice(offset, size);
            values.Add(vr switch
            {
                DicomVR.US or DicomVR.OW or DicomVR.AT => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(value) : BinaryPrimitives.ReadUInt16LittleEndian(value),
                DicomVR.SS => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(value) : BinaryPrimitives.ReadInt16LittleEndian(value),
                DicomVR.UL or DicomVR.OL => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(value) : BinaryPrimitives.ReadUInt32LittleEndian(value),
                DicomVR.SL => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(value) : BinaryPrimitives.ReadInt32LittleEndian(value),
                DicomVR.FL or DicomVR.OF => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(value) : BinaryPrimitives.ReadSingleLittleEndian(value),
                DicomVR.FD or DicomVR.OD => bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(value) : BinaryPrimitives.ReadDoubleLittleEndian(value),
                DicomVR.SV => bigEndian ? BinaryPrimitives.ReadInt64BigEndian(value) : BinaryPrimitives.ReadInt64LittleEndian(value),
                DicomVR.UV or DicomVR.OV => bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(value) : BinaryPrimitives.ReadUInt64LittleEndian(value),
                _ => value[0],
            });
        }

        return values;
    }

    private static string DecodeText(ReadOnlySpan<byte> bytes, Encoding encoding) =>
        encoding.GetString(bytes).TrimEnd(' ', '\0').TrimStart(' ');

    private static Encoding EncodingFor(string specificCharacterSet) =>
        // Only the first value selects the default repertoire; other repertoires and ISO 2022 extensions read as Latin-1.
        specificCharacterSet.Split('\\')[0].Trim() == "ISO_IR 192" ? Encoding.UTF8 : Encoding.Latin1;
}
