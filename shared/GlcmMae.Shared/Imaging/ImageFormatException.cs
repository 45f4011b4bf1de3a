namespace GlcmMae.Shared.Imaging;

/// <summary>A file that is not a supported image (not DICOM, PNG or JPEG), or a PNG/JPEG that cannot be decoded.</summary>
public sealed class ImageFormatException : ImagingException
{
    /// <summary>Creates the exception; <paramref name="errorCode"/> is UnsupportedFormat or CorruptFile.</summary>
    public ImageFormatException(string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <inheritdoc />
    public override string ErrorCode { get; }
}
