namespace GlcmMae.Shared.Storage;

/// <summary>A conditional write lost: the blob exists already, or changed since it was read.</summary>
public sealed class BlobConditionFailedException(string path, string message) : GlcmMaeException(message)
{
    /// <summary>The blob path.</summary>
    public string Path { get; } = path;

    /// <inheritdoc />
    public override string ErrorCode => "ConditionFailed";
}
