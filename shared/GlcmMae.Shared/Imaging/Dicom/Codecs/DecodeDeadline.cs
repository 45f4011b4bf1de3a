namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>
/// Runs a native decode on a thread of its own and gives the frame up as CorruptFile when it takes longer than the
/// deadline, so that one damaged upload cannot hold a request (and the queue behind it) for as long as the library likes.
/// </summary>
/// <remarks>
/// A native call cannot be stopped from outside: a decode past its deadline finishes (or spins) on its abandoned thread,
/// which keeps the frame's buffers alive until then. This bounds the time a scan takes, not the CPU a damaged stream
/// can burn, which only the library can fix. It is used where fuzzing found a library that runs for seconds on a
/// damaged stream: CharLS before 2.4.3 (team-charls/charls pull request 334, an endless loop on invalid JPEG-LS data).
/// </remarks>
internal static class DecodeDeadline
{
    public static byte[] Run(Func<byte[]> decode, TimeSpan deadline, string what)
    {
        byte[]? result = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = decode();
            }
#pragma warning disable CA1031 // Carried to the caller's thread and rethrown there.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failure = exception;
            }
        })
        {
            IsBackground = true,
            Name = $"{what} decode",
        };
        thread.Start();
        if (!thread.Join(deadline))
        {
            throw new DicomFormatException(-1, $"the {what} frame took longer than {deadline.TotalMilliseconds:F0} ms to decode (Imaging:Dicom:DecodeTimeoutMilliseconds); the stream is damaged");
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return result!;
    }
}
