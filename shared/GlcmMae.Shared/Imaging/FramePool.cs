using System.Collections.Concurrent;

namespace GlcmMae.Shared.Imaging;

/// <summary>Reuses decoded-frame arrays of exact sizes, so a stream of same-size scans decodes without new large allocations.</summary>
/// <remarks>Unlike ArrayPool, arrays come back with exactly the requested length, as <see cref="ScanImage.Pixels"/> promises.</remarks>
internal static class FramePool
{
    private const int MaxArraysPerSize = 8;
    private const int MaxSizes = 16;

    private static readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> Free = new();

    /// <summary>An array of exactly <paramref name="length"/> floats with unspecified contents.</summary>
    public static float[] Rent(int length) =>
        Free.TryGetValue(length, out var bag) && bag.TryTake(out var array)
            ? array
            : GC.AllocateUninitializedArray<float>(length);

    /// <summary>Hands an array back; the caller must not use it afterwards.</summary>
    public static void Return(float[] array)
    {
        if (Free.Count >= MaxSizes && !Free.ContainsKey(array.Length))
        {
            return;
        }

        var bag = Free.GetOrAdd(array.Length, _ => []);
        if (bag.Count < MaxArraysPerSize)
        {
            bag.Add(array);
        }
    }
}
