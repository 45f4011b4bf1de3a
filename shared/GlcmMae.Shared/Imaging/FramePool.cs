using System.Collections.Concurrent;

namespace GlcmMae.Shared.Imaging;

/// <summary>Reuses decoded-frame arrays of exact sizes, so a stream of same-size scans decodes without new large allocations.</summary>
/// <remarks>
/// Unlike ArrayPool, arrays come back with exactly the requested length, as <see cref="ScanImage.Pixels"/> promises.
/// What the pool holds is bounded in bytes as well as in arrays per size: the serving pipeline hands back every frame it
/// decodes, and a few large multi-frame or colour scans must not pin gigabytes between requests.
/// </remarks>
internal sealed class FramePool
{
    private const int MaxSizes = 16;

    private readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> _free = new();
    private readonly long _maxBytes;
    private readonly int _maxArraysPerSize;
    private long _pooledBytes;

    /// <summary>A pool that holds at most <paramref name="maxBytes"/> bytes and <paramref name="maxArraysPerSize"/> arrays of one length.</summary>
    public FramePool(long maxBytes, int maxArraysPerSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(maxArraysPerSize);
        _maxBytes = maxBytes;
        _maxArraysPerSize = maxArraysPerSize;
    }

    /// <summary>The process-wide pool decoders rent from: 128 MB, 8 arrays per size (concurrent requests of one size).</summary>
    public static FramePool Shared { get; } = new(128L * 1024 * 1024, 8);

    /// <summary>Bytes held for reuse now.</summary>
    public long PooledBytes => Interlocked.Read(ref _pooledBytes);

    /// <summary>An array of exactly <paramref name="length"/> floats with unspecified contents.</summary>
    public float[] Rent(int length)
    {
        if (_free.TryGetValue(length, out var bag) && bag.TryTake(out var array))
        {
            Interlocked.Add(ref _pooledBytes, -BytesOf(array));
            return array;
        }

        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>Hands an array back; the caller must not use it afterwards.</summary>
    public void Return(float[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var bytes = BytesOf(array);
        if (Interlocked.Add(ref _pooledBytes, bytes) > _maxBytes || !TryAdd(array))
        {
            Interlocked.Add(ref _pooledBytes, -bytes);
        }
    }

    private bool TryAdd(float[] array)
    {
        if (!_free.TryGetValue(array.Length, out var bag))
        {
            if (_free.Count >= MaxSizes)
            {
                // Scan sizes change with the sources: make room by forgetting a size that has nothing pooled.
                var empty = _free.FirstOrDefault(pair => pair.Value.IsEmpty);
                if (empty.Value is null || !_free.TryRemove(empty))
                {
                    return false;
                }

                // An array returned to that size meanwhile goes with it: keep the byte count true.
                while (empty.Value.TryTake(out var lost))
                {
                    Interlocked.Add(ref _pooledBytes, -BytesOf(lost));
                }
            }

            bag = _free.GetOrAdd(array.Length, _ => []);
        }

        if (bag.Count >= _maxArraysPerSize)
        {
            return false;
        }

        bag.Add(array);
        return true;
    }

    private static long BytesOf(float[] array) => (long)array.Length * sizeof(float);
}
