namespace GlcmMae.Shared;

/// <summary>Base of every error GlcmMae raises on purpose: a stable code, a message that says what to do, and whether a retry can help.</summary>
public abstract class GlcmMaeException : Exception
{
    /// <summary>Creates the exception with a user-facing message and an optional cause.</summary>
    protected GlcmMaeException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>A stable machine-readable code (for example <c>CorruptFile</c>) used in results and metrics.</summary>
    public abstract string ErrorCode { get; }

    /// <summary>True when the same operation may succeed if retried (network, throttling); false for bad input.</summary>
    public virtual bool IsTransient => false;
}
