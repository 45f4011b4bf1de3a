namespace GlcmMae.Shared.Imaging;

/// <summary>Which exceptions from a third-party decoder mean "this file is damaged" rather than "this process is broken".</summary>
/// <remarks>
/// Decoders (JpegLibrary, ImageSharp, and our own code around native libraries) report damaged streams with whatever
/// the damage happens to trip: <see cref="InvalidDataException"/>, <see cref="IndexOutOfRangeException"/>,
/// <see cref="DivideByZeroException"/>, <see cref="OverflowException"/> and so on. The rule: inside a decoder call, every
/// exception is the file's fault and becomes the typed CorruptFile error, except our own typed errors (already
/// classified), cancellation, running out of memory (the limits are checked before a decoder allocates, so that is the
/// host's state, not the file's), and a missing native library or entry point (an installation problem, which must
/// stay loud).
/// </remarks>
public static class DecoderFailure
{
    /// <summary>True for an exception a decoder call should turn into CorruptFile.</summary>
    public static bool IsUntyped(Exception exception) =>
        exception is not (GlcmMaeException or OperationCanceledException or OutOfMemoryException or EntryPointNotFoundException or DllNotFoundException);

    /// <summary>The exception's type and message, for the CorruptFile message (decoders never quote patient attributes).</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"the decoder failed ({exception.GetType().Name}: {exception.Message})";
    }
}
