using GlcmMae.Shared;

namespace GlcmMae.Trainer;

/// <summary>A training run cannot start or continue; the message says what to change.</summary>
internal sealed class TrainingException(string errorCode, string message, Exception? innerException = null)
    : GlcmMaeException(message, innerException)
{
    /// <inheritdoc />
    public override string ErrorCode { get; } = errorCode;
}
