using System.Globalization;

namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>A DICOM attribute tag (group, element), ordered as in a dataset.</summary>
public readonly record struct DicomTag(ushort Group, ushort Element) : IComparable<DicomTag>
{
    /// <summary>The tag as one 32-bit number, group in the high half.</summary>
    public uint Value => ((uint)Group << 16) | Element;

    /// <summary>True for private tags (odd group numbers, PS3.5 7.8).</summary>
    public bool IsPrivate => (Group & 1) == 1;

    /// <summary>Creates a tag from its 32-bit number.</summary>
    public static DicomTag FromValue(uint value) => new((ushort)(value >> 16), (ushort)value);

    /// <inheritdoc />
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <summary>Formats as (gggg,eeee).</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");
}
