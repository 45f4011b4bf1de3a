using System.Buffers.Binary;

namespace GlcmMae.Shared.Imaging;

/// <summary>Detects a scan's format from its first bytes, never from its name.</summary>
public static class ScanFormatSniffer
{
    /// <summary>Bytes needed to decide in every case (DICOM's prefix sits at 128).</summary>
    public const int PrefixLength = 132;

    /// <summary>Returns the format the bytes start with.</summary>
    public static ScanFormat Detect(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length >= 8 && prefix[..8].SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }))
        {
            return ScanFormat.Png;
        }

        if (prefix.Length >= 3 && prefix[0] == 0xFF && prefix[1] == 0xD8 && prefix[2] == 0xFF)
        {
            return ScanFormat.Jpeg;
        }

        if (prefix.Length >= 132 && prefix.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            return ScanFormat.Dicom;
        }

        return LooksLikeBareDataset(prefix) ? ScanFormat.Dicom : ScanFormat.Unknown;
    }

    private static bool LooksLikeBareDataset(ReadOnlySpan<byte> prefix)
    {
        // A dataset without preamble starts with group 0002 or 0008 and, if explicit, a VR.
        if (prefix.Length < 8)
        {
            return false;
        }

        var group = BinaryPrimitives.ReadUInt16LittleEndian(prefix);
        var bigGroup = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        if (group is not (0x0002 or 0x0008) && bigGroup is not (0x0002 or 0x0008))
        {
            return false;
        }

        var element = BinaryPrimitives.ReadUInt16LittleEndian(prefix[2..]);
        return element < 0x2000 || Dicom.DicomVRInfo.TryParse(prefix[4], prefix[5], out _);
    }
}
