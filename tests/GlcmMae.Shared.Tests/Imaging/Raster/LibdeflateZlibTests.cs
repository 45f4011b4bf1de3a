using System.IO.Compression;
using GlcmMae.Shared.Imaging.Raster;

namespace GlcmMae.Shared.Tests.Imaging.Raster;

/// <summary>libdeflate takes complete zlib streams of the expected length and leaves everything else to .NET's zlib.</summary>
public sealed class LibdeflateZlibTests
{
    private static (byte[] Data, byte[] Zlib) Stream(int length, CompressionLevel level)
    {
        var random = new Random(length);
        var data = new byte[length];
        for (var i = 0; i < length; i++)
        {
            // Runs and noise, as filtered image rows are.
            data[i] = i % 97 < 40 ? (byte)(i / 97) : (byte)random.Next(256);
        }

        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, level, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return (data, output.ToArray());
    }

    [Theory]
    [InlineData(1, CompressionLevel.NoCompression)]
    [InlineData(5402, CompressionLevel.Fastest)]
    [InlineData(262_656, CompressionLevel.SmallestSize)]
    public void A_complete_stream_of_the_expected_length_decompresses_to_the_same_bytes(int length, CompressionLevel level)
    {
        Assert.True(LibdeflateZlib.IsAvailable, "libdeflate0 is installed by build/setup.sh");
        var (data, zlib) = Stream(length, level);
        var target = new byte[length];

        Assert.True(LibdeflateZlib.TryDecompress(zlib, target));
        Assert.Equal(data, target);
    }

    [Fact]
    public void Streams_of_another_length_or_damaged_ones_are_left_to_the_general_path()
    {
        var (_, zlib) = Stream(5000, CompressionLevel.Optimal);
        var damaged = (byte[])zlib.Clone();
        damaged[^3] ^= 0xFF;

        Assert.False(LibdeflateZlib.TryDecompress(zlib, new byte[4999]));
        Assert.False(LibdeflateZlib.TryDecompress(zlib, new byte[5001]));
        Assert.False(LibdeflateZlib.TryDecompress(zlib.AsSpan(0, zlib.Length / 2), new byte[5000]));
        Assert.False(LibdeflateZlib.TryDecompress(damaged, new byte[5000]));
    }
}
