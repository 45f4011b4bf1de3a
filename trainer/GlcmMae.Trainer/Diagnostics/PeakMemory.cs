using System.Globalization;
using System.Runtime.InteropServices;

namespace GlcmMae.Trainer.Diagnostics;

/// <summary>Peak resident memory of a piece of work on Linux: resets the kernel's high-water mark, runs it, reads VmHWM.</summary>
/// <remarks>
/// libtorch's CPU allocator uses malloc, so tensor memory shows up in the resident set. glibc raises its mmap threshold
/// after large frees and then keeps freed blocks in the heap, which would hide later peaks; fixing the threshold keeps
/// every large tensor in its own mapping that is returned on free.
/// </remarks>
internal static partial class PeakMemory
{
    private const int MallocMmapThreshold = -3;

    /// <summary>True where the kernel lets a process reset its peak (Linux 4.0+).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && File.Exists("/proc/self/clear_refs");

    /// <summary>Stops glibc from moving large allocations into the heap; call once before measuring.</summary>
    public static void UseStableAllocator()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = mallopt(MallocMmapThreshold, 128 * 1024);
        }
    }

    /// <summary>Bytes the resident set grew by at its peak while <paramref name="work"/> ran.</summary>
    public static long Measure(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("Peak memory is measured from /proc/self (Linux only).");
        }

        // Settle first: TorchSharp tensors of earlier work are freed by their finalizers, and a finalizer that released
        // native memory while the work ran would lower the resident set under it and hide the work's growth.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = ReadKilobytes("VmRSS");
        File.WriteAllText("/proc/self/clear_refs", "5");
        work();
        var peak = ReadKilobytes("VmHWM");
        return Math.Max(0, peak - baseline) * 1024;
    }

    private static long ReadKilobytes(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var digits = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(digits, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {field} line.");
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int parameter, int value);
}
