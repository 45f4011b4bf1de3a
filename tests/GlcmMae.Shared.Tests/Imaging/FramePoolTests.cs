using GlcmMae.Shared.Imaging;

namespace GlcmMae.Shared.Tests.Imaging;

public sealed class FramePoolTests
{
    [Fact]
    public void A_returned_array_is_rented_again_for_the_same_length_only()
    {
        var pool = new FramePool(1 << 20, 4);
        var first = pool.Rent(100);
        pool.Return(first);

        Assert.Equal(400, pool.PooledBytes);
        Assert.NotSame(first, pool.Rent(101));
        Assert.Same(first, pool.Rent(100));
        Assert.Equal(0, pool.PooledBytes);
        Assert.Equal(100, pool.Rent(100).Length);
    }

    [Fact]
    public void The_pool_never_holds_more_bytes_than_its_budget()
    {
        var pool = new FramePool(maxBytes: 1000, maxArraysPerSize: 8);
        var arrays = Enumerable.Range(0, 4).Select(_ => pool.Rent(100)).ToArray();

        foreach (var array in arrays)
        {
            pool.Return(array);
        }

        // Two 400-byte arrays fit in 1000 bytes; the third and fourth go to the garbage collector.
        Assert.Equal(800, pool.PooledBytes);
        var again = new[] { pool.Rent(100), pool.Rent(100), pool.Rent(100) };
        Assert.Equal(2, again.Count(a => arrays.Contains(a)));
        Assert.Equal(0, pool.PooledBytes);
        pool.Return(new float[1000]);
        Assert.Equal(0, pool.PooledBytes);
    }

    [Fact]
    public void Each_size_keeps_a_bounded_number_of_arrays()
    {
        var pool = new FramePool(1 << 20, maxArraysPerSize: 2);

        for (var i = 0; i < 5; i++)
        {
            pool.Return(new float[10]);
        }

        Assert.Equal(80, pool.PooledBytes);
    }

    [Fact]
    public void New_sizes_replace_sizes_with_nothing_pooled()
    {
        var pool = new FramePool(1 << 20, 1);
        for (var size = 1; size <= 16; size++)
        {
            pool.Return(new float[size]);
        }

        var full = pool.PooledBytes;
        pool.Return(new float[17]);
        Assert.Equal(full, pool.PooledBytes);

        // Size 5's array is taken: its empty slot makes room for size 17.
        pool.Rent(5);
        var seventeen = new float[17];
        pool.Return(seventeen);
        Assert.Equal(full - 20 + 68, pool.PooledBytes);
        Assert.Same(seventeen, pool.Rent(17));
    }

    [Fact]
    public async Task Concurrent_renting_and_returning_keeps_the_byte_count_true()
    {
        var pool = new FramePool(1 << 16, 4);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 20000; i++)
            {
                var array = pool.Rent(1 + ((worker + i) % 24));
                pool.Return(array);
            }
        })));

        var held = 0L;
        for (var size = 1; size <= 24; size++)
        {
            // Drain every size: what comes out must be what the count says is in.
            for (var n = 0; n < 4; n++)
            {
                var before = pool.PooledBytes;
                var array = pool.Rent(size);
                if (pool.PooledBytes < before)
                {
                    held += array.Length * sizeof(float);
                }
            }
        }

        Assert.Equal(0, pool.PooledBytes);
        Assert.True(held > 0);
    }
}
