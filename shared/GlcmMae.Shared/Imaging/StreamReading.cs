namespace GlcmMae.Shared.Imaging;

/// <summary>Reads whole streams into memory without ever exceeding a size limit.</summary>
public static class StreamReading
{
    /// <summary>All bytes of the stream; throws <see cref="ImageTooLargeException"/> past <paramref name="maxBytes"/> ("what" names the stream in the message).</summary>
    public static async Task<byte[]> ReadAllAsync(Stream stream, long maxBytes, string what, CancellationToken cancellationToken)
    {
        if (stream.CanSeek && stream.Length - stream.Position > maxBytes)
        {
            throw new ImageTooLargeException($"The {what} is {stream.Length - stream.Position} bytes; the limit is {maxBytes}.");
        }

        using var buffer = stream.CanSeek ? new MemoryStream((int)(stream.Length - stream.Position)) : new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new ImageTooLargeException($"The {what} is larger than the limit of {maxBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }
}
