namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>A malformed DICOM file: the byte offset where reading failed and why.</summary>
public class DicomFormatException : ImagingException
{
    /// <summary>Creates the exception for a problem at <paramref name="offset"/> in the (decompressed) stream.</summary>
    public DicomFormatException(long offset, string reason, Exception? innerException = null)
        : base($"Malformed DICOM at byte {offset}: {reason}", innerException)
    {
        Offset = offset;
        Reason = reason;
    }

    /// <summary>Creates a subtype's exception with its own message.</summary>
    protected DicomFormatException(string message, long offset, string reason)
        : base(message)
    {
        Offset = offset;
        Reason = reason;
    }

    /// <summary>Byte offset of the problem, or -1 when it concerns the file as a whole.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the offset.</summary>
    public string Reason { get; }

    /// <inheritdoc />
    public override string ErrorCode => "CorruptFile";
}
