namespace GlcmMae.Shared.Imaging;

/// <summary>Base of errors raised while reading or decoding a scan; never transient (the bytes will not change).</summary>
public abstract class ImagingException : GlcmMaeException
{
    /// <summary>Creates the exception with a message that says what is wrong with the scan.</summary>
    protected ImagingException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
