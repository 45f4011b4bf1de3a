namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>One data element: tag, VR and either a value (in the file's byte order), sequence items, or pixel fragments.</summary>
public sealed class DicomElement
{
    private DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value, IReadOnlyList<DicomDataset>? items, DicomFragments? fragments, bool isBigEndian, long offset)
    {
        Tag = tag;
        VR = vr;
        Value = value;
        Items = items ?? [];
        Fragments = fragments;
        IsBigEndian = isBigEndian;
        Offset = offset;
    }

    /// <summary>The attribute tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The value representation (from the file, or the dictionary for implicit VR).</summary>
    public DicomVR VR { get; }

    /// <summary>The raw value bytes in the byte order of the file (empty for sequences and encapsulated pixel data).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>Sequence items (empty unless the element is a sequence).</summary>
    public IReadOnlyList<DicomDataset> Items { get; }

    /// <summary>Encapsulated pixel data fragments, or null for native values.</summary>
    public DicomFragments? Fragments { get; }

    /// <summary>True when <see cref="Value"/> is big endian (Explicit VR Big Endian files).</summary>
    public bool IsBigEndian { get; }

    /// <summary>Byte offset of the element's tag in the (decompressed) stream, for error messages.</summary>
    public long Offset { get; }

    /// <summary>Creates an element holding a value.</summary>
    public static DicomElement CreateValue(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value, bool isBigEndian = false, long offset = -1) =>
        new(tag, vr, value, null, null, isBigEndian, offset);

    /// <summary>Creates a sequence element.</summary>
    public static DicomElement CreateSequence(DicomTag tag, IReadOnlyList<DicomDataset> items, long offset = -1) =>
        new(tag, DicomVR.SQ, ReadOnlyMemory<byte>.Empty, items, null, false, offset);

    /// <summary>Creates an encapsulated pixel data element.</summary>
    public static DicomElement CreateEncapsulated(DicomTag tag, DicomVR vr, DicomFragments fragments, long offset = -1) =>
        new(tag, vr, ReadOnlyMemory<byte>.Empty, null, fragments, false, offset);

    /// <summary>Describes the element without its value (values may be patient data).</summary>
    public override string ToString() => $"{Tag} {VR} length {Value.Length}";
}
