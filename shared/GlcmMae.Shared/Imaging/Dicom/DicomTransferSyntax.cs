using System.Collections.Frozen;

namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>A transfer syntax: how the dataset is encoded (VR, byte order, deflate) and how pixels are compressed.</summary>
public sealed record DicomTransferSyntax(
    string Uid,
    string Name,
    bool IsExplicitVR,
    bool IsBigEndian,
    bool IsDeflated,
    DicomCompression Compression)
{
    /// <summary>True when pixel data is stored as encapsulated fragments.</summary>
    public bool IsEncapsulated => Compression != DicomCompression.None;

    /// <summary>True for the wavelet syntaxes (JPEG 2000, HTJ2K), whose frames can decode at a reduced resolution (<see cref="DicomPixelData.ReducedFor"/>).</summary>
    public bool DecodesAtReducedResolution => Compression is DicomCompression.Jpeg2000 or DicomCompression.HighThroughputJpeg2000;

    /// <summary>Implicit VR Little Endian, the DICOM default.</summary>
    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, DicomCompression.None);

    /// <summary>Explicit VR Little Endian.</summary>
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, DicomCompression.None);

    /// <summary>Deflated Explicit VR Little Endian.</summary>
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, DicomCompression.None);

    /// <summary>Explicit VR Big Endian (retired, still found in archives).</summary>
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, DicomCompression.None);

    /// <summary>Encapsulated Uncompressed Explicit VR Little Endian.</summary>
    public static readonly DicomTransferSyntax EncapsulatedUncompressed = new("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian", true, false, false, DicomCompression.EncapsulatedUncompressed);

    /// <summary>RLE Lossless.</summary>
    public static readonly DicomTransferSyntax RleLossless = new("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false, DicomCompression.Rle);

    /// <summary>JPEG Baseline (Process 1).</summary>
    public static readonly DicomTransferSyntax JpegBaseline = new("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, false, false, DicomCompression.JpegBaseline);

    /// <summary>JPEG Extended (Process 2 and 4).</summary>
    public static readonly DicomTransferSyntax JpegExtended = new("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", true, false, false, DicomCompression.JpegExtended);

    /// <summary>JPEG Lossless, Non-Hierarchical (Process 14).</summary>
    public static readonly DicomTransferSyntax JpegLossless = new("1.2.840.10008.1.2.4.57", "JPEG Lossless (Process 14)", true, false, false, DicomCompression.JpegLossless);

    /// <summary>JPEG Lossless, Process 14, Selection Value 1.</summary>
    public static readonly DicomTransferSyntax JpegLosslessSV1 = new("1.2.840.10008.1.2.4.70", "JPEG Lossless (Process 14, SV1)", true, false, false, DicomCompression.JpegLossless);

    /// <summary>JPEG-LS Lossless.</summary>
    public static readonly DicomTransferSyntax JpegLsLossless = new("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", true, false, false, DicomCompression.JpegLs);

    /// <summary>JPEG-LS Lossy (Near-Lossless).</summary>
    public static readonly DicomTransferSyntax JpegLsNearLossless = new("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless", true, false, false, DicomCompression.JpegLs);

    /// <summary>JPEG 2000 Lossless Only.</summary>
    public static readonly DicomTransferSyntax Jpeg2000Lossless = new("1.2.840.10008.1.2.4.90", "JPEG 2000 Lossless", true, false, false, DicomCompression.Jpeg2000);

    /// <summary>JPEG 2000.</summary>
    public static readonly DicomTransferSyntax Jpeg2000 = new("1.2.840.10008.1.2.4.91", "JPEG 2000", true, false, false, DicomCompression.Jpeg2000);

    /// <summary>High-Throughput JPEG 2000 Lossless.</summary>
    public static readonly DicomTransferSyntax HtJpeg2000Lossless = new("1.2.840.10008.1.2.4.201", "HTJ2K Lossless", true, false, false, DicomCompression.HighThroughputJpeg2000);

    /// <summary>High-Throughput JPEG 2000 with RPCL Options (lossless).</summary>
    public static readonly DicomTransferSyntax HtJpeg2000LosslessRpcl = new("1.2.840.10008.1.2.4.202", "HTJ2K Lossless RPCL", true, false, false, DicomCompression.HighThroughputJpeg2000);

    /// <summary>High-Throughput JPEG 2000.</summary>
    public static readonly DicomTransferSyntax HtJpeg2000 = new("1.2.840.10008.1.2.4.203", "HTJ2K", true, false, false, DicomCompression.HighThroughputJpeg2000);

    private static readonly FrozenDictionary<string, DicomTransferSyntax> Known = new[]
    {
        ImplicitVRLittleEndian, ExplicitVRLittleEndian, DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian,
        EncapsulatedUncompressed, RleLossless, JpegBaseline, JpegExtended, JpegLossless, JpegLosslessSV1,
        JpegLsLossless, JpegLsNearLossless, Jpeg2000Lossless, Jpeg2000, HtJpeg2000Lossless, HtJpeg2000LosslessRpcl,
        HtJpeg2000,
    }.ToFrozenDictionary(ts => ts.Uid, StringComparer.Ordinal);

    /// <summary>Looks up a UID; unknown ones are explicit VR little endian with pixel data this library cannot decode (PS3.5 10).</summary>
    public static DicomTransferSyntax Lookup(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var trimmed = uid.Trim().TrimEnd('\0');
        return Known.TryGetValue(trimmed, out var known)
            ? known
            : new DicomTransferSyntax(trimmed, "unknown transfer syntax", true, false, false, DicomCompression.Other);
    }
}
