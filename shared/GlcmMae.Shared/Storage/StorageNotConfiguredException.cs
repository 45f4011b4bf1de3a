namespace GlcmMae.Shared.Storage;

/// <summary>Azure storage was asked for but neither a connection string nor an account URL is configured.</summary>
public sealed class StorageNotConfiguredException(string message) : GlcmMaeException(message)
{
    /// <inheritdoc />
    public override string ErrorCode => "StorageNotConfigured";
}
