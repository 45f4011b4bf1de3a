using GlcmMae.Shared.Imaging;

namespace GlcmMae.Shared.Tests.Imaging;

public sealed class StreamReadingTests
{
    private static byte[] Bytes(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 31 % 251))];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(200_000)]
    public async Task A_seekable_stream_is_read_from_its_position_to_the_end(int length)
    {
        var bytes = Bytes(length + 7);
        using var stream = new MemoryStream(bytes) { Position = 7 };

        var read = await StreamReading.ReadAllAsync(stream, 1 << 20, "scan", CancellationToken.None);

        Assert.Equal(bytes[7..], read);
    }

    [Fact]
    public async Task A_seekable_stream_over_the_limit_is_refused_before_any_byte_is_read()
    {
        using var stream = new MemoryStream(Bytes(101));

        var error = await Assert.ThrowsAsync<ImageTooLargeException>(() => StreamReading.ReadAllAsync(stream, 100, "scan", CancellationToken.None));

        Assert.Equal(0, stream.Position);
        Assert.Equal("The scan is 101 bytes; the limit is 100.", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(300_000)]
    public async Task A_stream_of_unknown_length_is_read_in_chunks_up_to_the_limit(int length)
    {
        var bytes = Bytes(length);
        using var stream = new UnknownLengthStream(bytes);

        Assert.Equal(bytes, await StreamReading.ReadAllAsync(stream, 300_000, "scan", CancellationToken.None));
        using var over = new UnknownLengthStream(bytes);
        if (length > 0)
        {
            await Assert.ThrowsAsync<ImageTooLargeException>(() => StreamReading.ReadAllAsync(over, length - 1, "request body", CancellationToken.None));
        }
    }

    [Fact]
    public async Task A_stream_that_grows_past_its_stated_length_is_read_whole_and_still_limited()
    {
        var bytes = Bytes(150_000);

        Assert.Equal(bytes, await StreamReading.ReadAllAsync(new UnderstatedLengthStream(bytes, 1000), 150_000, "scan", CancellationToken.None));
        await Assert.ThrowsAsync<ImageTooLargeException>(() => StreamReading.ReadAllAsync(new UnderstatedLengthStream(bytes, 1000), 149_999, "scan", CancellationToken.None));
    }

    /// <summary>A network-like stream: no length, no seeking, short reads.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 4096)], cancellationToken);
    }

    /// <summary>A file still being written: its length was taken before the rest arrived.</summary>
    private sealed class UnderstatedLengthStream(byte[] bytes, long statedLength) : MemoryStream(bytes, writable: false)
    {
        public override long Length => statedLength;
    }
}
