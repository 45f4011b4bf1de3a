using System.ComponentModel.DataAnnotations;

namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>Limits that keep a malformed or hostile file from exhausting memory or time.</summary>
public sealed class DicomReaderOptions
{
    /// <summary>Configuration section these options bind to.</summary>
    public const string SectionName = "Imaging:Dicom";

    /// <summary>Largest file (and largest inflated dataset) accepted, in bytes; at most 2 GiB. Default 1 GiB.</summary>
    [Range(1024, int.MaxValue)]
    public long MaxFileBytes { get; set; } = 1L << 30;

    /// <summary>Largest decoded pixel data accepted, in bytes (all frames). Default 1 GiB.</summary>
    [Range(1, int.MaxValue)]
    public long MaxPixelBytes { get; set; } = 1L << 30;

    /// <summary>Deepest sequence nesting accepted. Default 16.</summary>
    [Range(1, 256)]
    public int MaxSequenceDepth { get; set; } = 16;

    /// <summary>Largest rows or columns accepted. Default 16384.</summary>
    [Range(1, 65535)]
    public int MaxDimension { get; set; } = 16384;

    /// <summary>Most frames accepted in one file. Default 10000.</summary>
    [Range(1, int.MaxValue)]
    public int MaxFrames { get; set; } = 10000;

    /// <summary>
    /// Threads one JPEG 2000 or HTJ2K frame may decode on (OpenJPEG's code-block threads). Default 1: a serving host
    /// already decodes one scan per request in parallel; more helps a lone large frame (a workstation, a benchmark).
    /// </summary>
    [Range(1, 256)]
    public int DecoderThreads { get; set; } = 1;

    /// <summary>
    /// Longest a JPEG-LS frame may take to decode before it is given up as CorruptFile, in milliseconds. Default 5000:
    /// hundreds of times what a real frame takes, short enough that a damaged stream cannot hold a request.
    /// </summary>
    [Range(10, 600_000)]
    public int DecodeTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>The defaults.</summary>
    public static DicomReaderOptions Default => new();

    /// <summary>A copy whose file limit is at most <paramref name="maxFileBytes"/> (a host's own upload limit).</summary>
    public DicomReaderOptions WithFileLimit(long maxFileBytes)
    {
        var copy = (DicomReaderOptions)MemberwiseClone();
        copy.MaxFileBytes = Math.Min(MaxFileBytes, maxFileBytes);
        return copy;
    }
}
