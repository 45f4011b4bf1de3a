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

    // A lock, not concurrent collections: a size's stack can then be dropped without an array slipping into it
    // unaccounted, and a scan takes milliseconds against tens of nanoseconds for the lock.
    private readonly object _gate = new();
    private readonly Dictionary<int, Stack<float[]>> _free = [];
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
    public long PooledBytes
    {
        get
        {
            lock (_gate)
            {
                return _pooledBytes;
            }
        }
    }

    /// <summary>An array of exactly <paramref name="length"/> floats with unspecified contents.</summary>
    public float[] Rent(int length)
    {
        lock (_gate)
        {
            if (_free.TryGetValue(length, out var stack) && stack.TryPop(out var array))
            {
                _pooledBytes -= BytesOf(array);
                return array;
            }
        }

        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>Hands an array back; the caller must not use it afterwards.</summary>
    public void Return(float[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var bytes = BytesOf(array);
        lock (_gate)
        {
            if (_pooledBytes + bytes > _maxBytes)
            {
                return;
            }

            if (!_free.TryGetValue(array.Length, out var stack))
            {
                if (_free.Count >= MaxSizes)
                {
                    // Scan sizes change with the sources: make room by forgetting a size that has nothing pooled.
                    int? emptySize = null;
                    foreach (var (size, free) in _free)
                    {
                        if (free.Count == 0)
                        {
                            emptySize = size;
                            break;
                        }
                    }

                    if (emptySize is null)
                    {
                        return;
                    }

                    _free.Remove(emptySize.Value);
                }

                stack = new Stack<float[]>(_maxArraysPerSize);
                _free.Add(array.Length, stack);
            }

            if (stack.Count < _maxArraysPerSize)
            {
                stack.Push(array);
                _pooledBytes += bytes;
            }
        }
    }

    private static long BytesOf(float[] array) => (long)array.Length * sizeof(float);
}
