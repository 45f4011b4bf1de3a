using GlcmMae.Shared.Imaging;

namespace GlcmMae.Shared.Tests.Imaging;

public sealed class SampleWideningTests
{
    // Lengths around the vector step (16) and the tail, at offsets that leave the source unaligned.
    public static TheoryData<int, int> Layouts()
    {
        var data = new TheoryData<int, int>();
        foreach (var length in new[] { 0, 1, 7, 15, 16, 17, 31, 32, 33, 73, 255, 256, 1000 })
        {
            foreach (var offset in new[] { 0, 1, 3 })
            {
                data.Add(length, offset);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Bytes_become_the_same_values_as_one_at_a_time(int length, int offset)
    {
        var source = new byte[length + offset];
        new Random((length * 31) + offset).NextBytes(source);
        var target = Filled(length + 2);

        SampleWidening.FromBytes(source.AsSpan(offset, length), target.AsSpan(1, length));

        for (var i = 0; i < length; i++)
        {
            Assert.Equal(source[offset + i], target[1 + i]);
        }

        AssertUntouched(target, length);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Big_endian_words_become_the_same_values_as_one_at_a_time(int length, int offset)
    {
        var source = new byte[(2 * length) + offset];
        new Random((length * 37) + offset).NextBytes(source);
        var target = Filled(length + 2);

        SampleWidening.FromBigEndianWords(source.AsSpan(offset, 2 * length), target.AsSpan(1, length));

        for (var i = 0; i < length; i++)
        {
            Assert.Equal((source[offset + (2 * i)] << 8) | source[offset + (2 * i) + 1], target[1 + i]);
        }

        AssertUntouched(target, length);
    }

    [Fact]
    public void Every_byte_and_every_word_value_converts_exactly()
    {
        var bytes = Enumerable.Range(0, 256).Select(v => (byte)v).ToArray();
        var fromBytes = new float[256];
        SampleWidening.FromBytes(bytes, fromBytes);
        Assert.Equal(Enumerable.Range(0, 256).Select(v => (float)v), fromBytes);

        var words = new byte[2 * 65536];
        for (var v = 0; v < 65536; v++)
        {
            (words[2 * v], words[(2 * v) + 1]) = ((byte)(v >> 8), (byte)v);
        }

        var fromWords = new float[65536];
        SampleWidening.FromBigEndianWords(words, fromWords);
        Assert.Equal(Enumerable.Range(0, 65536).Select(v => (float)v), fromWords);
    }

    [Fact]
    public void A_source_shorter_than_the_target_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleWidening.FromBytes(new byte[15], new float[16]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleWidening.FromBigEndianWords(new byte[31], new float[16]));
    }

    private static float[] Filled(int length) => Enumerable.Repeat(-1f, length).ToArray();

    // The values on either side of the target span stay as they were.
    private static void AssertUntouched(float[] target, int length)
    {
        Assert.Equal(-1f, target[0]);
        Assert.Equal(-1f, target[length + 1]);
    }
}
