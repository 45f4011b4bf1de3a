using System.Buffers;

namespace GlcmMae.Shared.Imaging;

/// <summary>Reads whole streams into memory without ever exceeding a size limit.</summary>
public static class StreamReading
{
    private const int ChunkBytes = 81920;

    /// <summary>All bytes of the stream; throws <see cref="ImageTooLargeException"/> past <paramref name="maxBytes"/> ("what" names the stream in the message).</summary>
    public static async Task<byte[]> ReadAllAsync(Stream stream, long maxBytes, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek)
        {
            // The length is known: one read into an array of exactly that size, then a check that nothing follows.
            var remaining = stream.Length - stream.Position;
            RequireWithinLimit(remaining, maxBytes, what);
            var exact = new byte[remaining];
            await stream.ReadExactlyAsync(exact, cancellationToken).ConfigureAwait(false);
            var extra = new byte[1];
            if (await stream.ReadAsync(extra, cancellationToken).ConfigureAwait(false) == 0)
            {
                return exact;
            }

            // The stream grew while it was read: fall through and read the rest as a stream of unknown length.
            using var grown = new MemoryStream();
            grown.Write(exact);
            grown.Write(extra);
            return await CopyAsync(stream, grown, maxBytes, what, cancellationToken).ConfigureAwait(false);
        }

        using var buffer = new MemoryStream();
        return await CopyAsync(stream, buffer, maxBytes, what, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Throws <see cref="ImageTooLargeException"/> when <paramref name="length"/> bytes exceed <paramref name="maxBytes"/>.</summary>
    public static void RequireWithinLimit(long length, long maxBytes, string what)
    {
        if (length > maxBytes)
        {
            throw new ImageTooLargeException($"The {what} is {length} bytes; the limit is {maxBytes}.");
        }
    }

    private static async Task<byte[]> CopyAsync(Stream stream, MemoryStream buffer, long maxBytes, string what, CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new ImageTooLargeException($"The {what} is larger than the limit of {maxBytes} bytes.");
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }
}
