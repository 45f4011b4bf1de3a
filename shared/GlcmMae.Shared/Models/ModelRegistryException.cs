namespace GlcmMae.Shared.Models;

/// <summary>A registry operation that cannot proceed: missing version, corrupt model, lost promotion race.</summary>
public sealed class ModelRegistryException(string code, string message) : GlcmMaeException(message)
{
    /// <inheritdoc />
    public override string ErrorCode => code;
}
