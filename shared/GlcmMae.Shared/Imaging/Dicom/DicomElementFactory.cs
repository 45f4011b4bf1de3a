using System.Buffers.Binary;
using System.Text;

namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>Builds little-endian elements for datasets that GlcmMae writes (synthetic data, tests).</summary>
public static class DicomElementFactory
{
    /// <summary>A text element, padded to even length as PS3.5 6.2 requires (UI with NUL, others with space).</summary>
    public static DicomElement Text(DicomTag tag, DicomVR vr, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length % 2 == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = vr == DicomVR.UI ? (byte)0 : (byte)' ';
        }

        return DicomElement.CreateValue(tag, vr, bytes);
    }

    /// <summary>A US element with one or more values.</summary>
    public static DicomElement UInt16(DicomTag tag, params ushort[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        }

        return DicomElement.CreateValue(tag, DicomVR.US, bytes);
    }

    /// <summary>A UL element with one value.</summary>
    public static DicomElement UInt32(DicomTag tag, uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return DicomElement.CreateValue(tag, DicomVR.UL, bytes);
    }

    /// <summary>A binary element (OB, OW, UN ...) holding bytes as given (little endian for OW).</summary>
    public static DicomElement Bytes(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value) =>
        DicomElement.CreateValue(tag, vr, value);
}
