namespace GlcmMae.Shared.Studies;

/// <summary>A study row kept changing under every attempt to update it: transient, so the caller's message is retried.</summary>
public sealed class StudyLedgerConflictException(string message) : GlcmMaeException(message)
{
    /// <inheritdoc />
    public override string ErrorCode => "StudyLedgerConflict";

    /// <inheritdoc />
    public override bool IsTransient => true;
}
