using GlcmMae.Shared.Imaging.Dicom;

namespace GlcmMae.Trainer.Benchmarks.Fuzzing;

/// <summary>What one fuzz run does and what it counts as over the limits.</summary>
internal sealed record FuzzOptions
{
    /// <summary>Damaged inputs to run, spread evenly over the seeds.</summary>
    public long Inputs { get; init; } = 20_000;

    /// <summary>Stops early after this long, when set.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Seed of the pseudo-random damage: input i of a run is the same for the same seed and corpus.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>An input that takes longer than this to open and decode is over the limit.</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>An input that makes the process grow (resident memory) or allocate (managed) more than this is over the limit.</summary>
    public long MaxMemoryBytes { get; init; } = 256L << 20;

    /// <summary>
    /// Whether the process's resident memory counts towards an input's memory (native decoders' allocations included).
    /// Off where other work shares the process (a test run), since the whole process's growth would be charged to the input.
    /// </summary>
    public bool MeasureResidentMemory { get; init; } = true;

    /// <summary>An input still running after this long is written out and the run ends: an in-process harness cannot stop a hung native decoder.</summary>
    public TimeSpan HangTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where inputs that fail untyped or go over a limit are written, to reproduce them; null writes nothing.</summary>
    public string? FindingsFolder { get; init; }

    /// <summary>
    /// The reader's limits, as a serving host would set them for small scans; the memory limit is judged against them.
    /// Its decode deadline is half the time limit, so that a decoder given up at its deadline is within the limit.
    /// </summary>
    public DicomReaderOptions Reader => new()
    {
        MaxFileBytes = 16L << 20,
        MaxPixelBytes = 16L << 20,
        MaxDimension = 4096,
        MaxFrames = 64,
        DecodeTimeoutMilliseconds = Math.Max(10, (int)(MaxTime.TotalMilliseconds / 2)),
    };

    /// <summary>Frames decoded per input (the first ones), so that multi-frame lookups are exercised without decoding a claimed thousand.</summary>
    public int FramesPerInput { get; init; } = 2;
}
