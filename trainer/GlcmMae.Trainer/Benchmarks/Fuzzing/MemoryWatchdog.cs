using System.Diagnostics;

namespace GlcmMae.Trainer.Benchmarks.Fuzzing;

/// <summary>
/// Samples the process's resident memory every few milliseconds on a thread of its own, so that the growth caused by
/// one input (native decoders included, which the GC does not see) is known, and ends the process on a hung input.
/// </summary>
/// <remarks>
/// Sampling misses a native allocation that comes and goes between two samples; managed allocations are counted
/// exactly by the harness. What it is for is the damage that matters: a decoder that takes gigabytes or seconds.
/// </remarks>
internal sealed class MemoryWatchdog : IDisposable
{
    private static readonly long PageSize = Environment.SystemPageSize;
    private readonly Thread _thread;
    private readonly TimeSpan _hangTime;
    private readonly Action _onHang;
    private readonly CancellationTokenSource _stop = new();
    private long _baseline;
    private long _peak;
    private long _startedTicks;

    public MemoryWatchdog(TimeSpan hangTime, Action onHang)
    {
        _hangTime = hangTime;
        _onHang = onHang;
        _thread = new Thread(Watch) { IsBackground = true, Name = "fuzz watchdog" };
        _thread.Start();
    }

    /// <summary>Marks the start of an input: its growth is measured from the memory in use now.</summary>
    public void Begin()
    {
        var now = ResidentBytes();
        Volatile.Write(ref _baseline, now);
        Volatile.Write(ref _peak, now);
        Volatile.Write(ref _startedTicks, Stopwatch.GetTimestamp());
    }

    /// <summary>Marks the end of an input and returns how much the process grew while it ran.</summary>
    public long End()
    {
        Volatile.Write(ref _startedTicks, 0);
        Sample();
        return Math.Max(0, Volatile.Read(ref _peak) - Volatile.Read(ref _baseline));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private void Watch()
    {
        while (!_stop.IsCancellationRequested)
        {
            Sample();
            var started = Volatile.Read(ref _startedTicks);
            if (started != 0 && Stopwatch.GetElapsedTime(started) > _hangTime)
            {
                _onHang();
            }

            _stop.Token.WaitHandle.WaitOne(2);
        }
    }

    private void Sample()
    {
        var now = ResidentBytes();
        long peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }
    }

    /// <summary>Resident set size from /proc/self/statm (Linux; the working set elsewhere).</summary>
    private static long ResidentBytes()
    {
        if (OperatingSystem.IsLinux())
        {
            Span<byte> buffer = stackalloc byte[128];
            using var handle = File.OpenHandle("/proc/self/statm");
            var read = RandomAccess.Read(handle, buffer, 0);
            var fields = buffer[..read];
            var space = fields.IndexOf((byte)' ');
            var rest = fields[(space + 1)..];
            var end = rest.IndexOf((byte)' ');
            if (space > 0 && end > 0 && long.TryParse(System.Text.Encoding.ASCII.GetString(rest[..end]), out var pages))
            {
                return pages * PageSize;
            }
        }

        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
