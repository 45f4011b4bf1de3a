namespace GlcmMae.Shared.Pipeline;

/// <summary>A queue message that is not a BlobCreated event: retrying cannot help, so it goes to the poison queue.</summary>
public sealed class ScanEventFormatException(string message) : GlcmMaeException(message)
{
    /// <inheritdoc />
    public override string ErrorCode => "InvalidEvent";
}
