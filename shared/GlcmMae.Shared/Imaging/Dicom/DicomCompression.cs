namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>How a transfer syntax encodes pixel data.</summary>
public enum DicomCompression
{
    /// <summary>Native (uncompressed) pixel data.</summary>
    None,

    /// <summary>Encapsulated but uncompressed (1.2.840.10008.1.2.1.98).</summary>
    EncapsulatedUncompressed,

    /// <summary>RLE Lossless (PS3.5 Annex G).</summary>
    Rle,

    /// <summary>JPEG baseline (process 1).</summary>
    JpegBaseline,

    /// <summary>JPEG extended (processes 2 and 4, 12-bit).</summary>
    JpegExtended,

    /// <summary>JPEG lossless (process 14, any predictor or selection value 1).</summary>
    JpegLossless,

    /// <summary>JPEG-LS lossless or near-lossless.</summary>
    JpegLs,

    /// <summary>JPEG 2000 (lossless or lossy).</summary>
    Jpeg2000,

    /// <summary>High-throughput JPEG 2000.</summary>
    HighThroughputJpeg2000,

    /// <summary>Video and other encodings GlcmMae does not decode.</summary>
    Other,
}
