namespace GlcmMae.Shared.Imaging;

/// <summary>A scan whose file, pixel data or dimensions exceed the configured limits.</summary>
public sealed class ImageTooLargeException : ImagingException
{
    /// <summary>Creates the exception naming the limit that was exceeded.</summary>
    public ImageTooLargeException(string message)
        : base(message)
    {
    }

    /// <inheritdoc />
    public override string ErrorCode => "ImageTooLarge";
}
