using System.Diagnostics;
using GlcmMae.Shared;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;

namespace GlcmMae.Trainer.Benchmarks.Fuzzing;

/// <summary>
/// Runs damaged inputs through exactly what serving does with a scan (<see cref="ScanDocument.Open"/>, then decoding
/// frames), in this process, one at a time, and sorts each outcome: decoded, a typed error, an untyped exception (a
/// defect: serving would crash or retry), or over the time or memory limit (a defect: a few such uploads at once take
/// down an instance).
/// </summary>
internal static class FuzzHarness
{
    // The seeds are 20-40 px: a reduced decode at 16 px leaves one level out of most JPEG 2000 seeds.
    private const int ReducedShorterSide = 16;

    /// <summary>The exit code of a run ended by a hung input.</summary>
    public const int HangExitCode = 3;

    public static FuzzReport Run(IReadOnlyList<FuzzSeed> seeds, FuzzOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
        Run(seeds, options, OpenAndDecode, progress, cancellationToken);

    /// <summary>Runs the inputs through <paramref name="target"/> instead of the serving decode path (tests of the harness itself).</summary>
    internal static FuzzReport Run(IReadOnlyList<FuzzSeed> seeds, FuzzOptions options, Action<byte[], DicomReaderOptions, int> target, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(options);
        if (seeds.Count == 0)
        {
            throw new ArgumentException("The fuzzer needs at least one seed file.", nameof(seeds));
        }

        var reader = options.Reader;

        // A seed that does not decode undamaged tests only the first few bytes its decoder reads: name it in the report.
        var undecodable = new List<string>();
        foreach (var seed in seeds)
        {
            try
            {
                target(seed.Bytes, reader, options.FramesPerInput);
            }
            catch (GlcmMaeException exception)
            {
                undecodable.Add($"{seed.Family}: {exception.ErrorCode}");
            }
        }

        var families = seeds.Select(s => s.Family).Distinct(StringComparer.Ordinal).ToDictionary(f => f, _ => new Tally(), StringComparer.Ordinal);
        var typed = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var untyped = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var findings = new List<string>();
        var times = new List<double>();
        var maxMemory = 0L;
        byte[]? current = null;
        var currentName = string.Empty;
        using var watchdog = new MemoryWatchdog(options.HangTime, () =>
        {
            var path = Save(options.FindingsFolder, $"hang-{currentName}", Volatile.Read(ref current) ?? []);
            Console.Error.WriteLine($"fuzz: an input ran longer than {options.HangTime.TotalSeconds:F0} s; {(path is null ? "no findings folder was given" : $"it is saved as {path}")}. Ending the run.");
            Environment.Exit(HangExitCode);
        });
        var clock = Stopwatch.StartNew();
        var run = 0L;
        for (; run < options.Inputs; run++)
        {
            if (cancellationToken.IsCancellationRequested || (options.Duration is { } limit && clock.Elapsed > limit))
            {
                break;
            }

            var seed = seeds[(int)(run % seeds.Count)];
            var input = FuzzMutator.Mutate(seed.Bytes, new Random(unchecked((options.Seed * 1_000_003) + (int)run)));
            currentName = $"{run}-{Slug(seed.Family)}";
            Volatile.Write(ref current, input);
            var tally = families[seed.Family];
            tally.Inputs++;

            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            watchdog.Begin();
            var started = Stopwatch.GetTimestamp();
            string? failure = null;
            try
            {
                target(input, reader, options.FramesPerInput);
                tally.Decoded++;
            }
            catch (GlcmMaeException exception)
            {
                typed[exception.ErrorCode] = typed.GetValueOrDefault(exception.ErrorCode) + 1;
                tally.Typed++;
            }
#pragma warning disable CA1031 // Anything else is exactly what the fuzzer is looking for: count it, keep the input.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failure = $"{exception.GetType().FullName} at {exception.TargetSite?.DeclaringType?.FullName}.{exception.TargetSite?.Name}";
                untyped[failure] = untyped.GetValueOrDefault(failure) + 1;
                tally.Untyped++;
            }

            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var resident = watchdog.End();
            var memory = Math.Max(options.MeasureResidentMemory ? resident : 0, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
            times.Add(milliseconds);
            maxMemory = Math.Max(maxMemory, memory);
            tally.MaxMilliseconds = Math.Max(tally.MaxMilliseconds, milliseconds);
            var overTime = milliseconds > options.MaxTime.TotalMilliseconds;
            var overMemory = memory > options.MaxMemoryBytes;
            tally.OverTime += overTime ? 1 : 0;
            tally.OverMemory += overMemory ? 1 : 0;
            if ((failure is not null || overTime || overMemory) && Save(options.FindingsFolder, $"{(failure is not null ? "untyped" : "over-limit")}-{currentName}", input) is { } saved)
            {
                findings.Add(saved);
            }

            if (run % 5000 == 4999)
            {
                progress?.Report($"{run + 1} inputs, {untyped.Values.Sum()} untyped, {families.Values.Sum(f => f.OverTime + f.OverMemory)} over a limit");
            }
        }

        times.Sort();
        return new FuzzReport(
            run,
            clock.Elapsed.TotalSeconds,
            families.Values.Sum(f => f.Decoded),
            typed,
            untyped,
            families.Values.Sum(f => f.OverTime),
            families.Values.Sum(f => f.OverMemory),
            times.Count > 0 ? times[^1] : 0,
            times.Count > 0 ? times[(int)Math.Min(times.Count - 1, Math.Ceiling(times.Count * 0.99) - 1)] : 0,
            maxMemory / 1048576.0,
            [.. families.Select(f => new FuzzFamilyReport(f.Key, f.Value.Inputs, f.Value.Decoded, f.Value.Typed, f.Value.Untyped, f.Value.OverTime, f.Value.OverMemory, f.Value.MaxMilliseconds))],
            findings,
            undecodable,
            $"{options.MaxTime.TotalMilliseconds:F0} ms and {options.MaxMemoryBytes / 1048576.0:F0} MiB per input; reader limits {reader.MaxPixelBytes / 1048576.0:F0} MiB of pixels, {reader.MaxDimension} px per side, {reader.MaxFrames} frames");
    }

    /// <summary>What serving does with a scan's bytes: open (PNG/JPEG decode here), then decode frames.</summary>
    /// <remarks>JPEG 2000 frames are decoded at a reduced resolution too, as a model with --decode-resolution reduced serves them.</remarks>
    private static void OpenAndDecode(byte[] input, DicomReaderOptions reader, int frames)
    {
        var document = ScanDocument.Open(input, reader);
        if (document.Metadata.TransferSyntaxUid is { } uid && DicomTransferSyntax.Lookup(uid).DecodesAtReducedResolution)
        {
            document.DecodeFrame(0, ReducedShorterSide);
        }

        for (var frame = 0; frame < Math.Min(document.Metadata.Frames, frames); frame++)
        {
            document.DecodeFrame(frame);
        }
    }

    private static string? Save(string? folder, string name, byte[] input)
    {
        if (folder is null)
        {
            return null;
        }

        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".bin");
        File.WriteAllBytes(path, input);
        return path;
    }

    private static string Slug(string family) =>
        new([.. family.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]);

    private sealed class Tally
    {
        public long Inputs;
        public long Decoded;
        public long Typed;
        public long Untyped;
        public long OverTime;
        public long OverMemory;
        public double MaxMilliseconds;
    }
}
