using GlcmMae.Trainer.Torch;

namespace GlcmMae.Trainer.Benchmarks.Fuzzing;

/// <summary>The result of <c>glcmmae bench fuzz</c>: what every damaged input came to, and the worst time and memory one took.</summary>
/// <param name="Inputs">Inputs run.</param>
/// <param name="Seconds">Wall-clock time of the run.</param>
/// <param name="Decoded">Inputs that still opened and decoded (the damage missed what matters, or was tolerated).</param>
/// <param name="TypedErrors">Inputs refused with a typed imaging error, by error code.</param>
/// <param name="Untyped">Inputs that threw anything else, by exception type and throwing method: each one is a defect.</param>
/// <param name="OverTime">Inputs that took longer than the time limit.</param>
/// <param name="OverMemory">Inputs that took more memory than the memory limit.</param>
/// <param name="MaxMilliseconds">Longest time one input took.</param>
/// <param name="P99Milliseconds">99th percentile of the time per input.</param>
/// <param name="MaxMemoryMegabytes">Most memory one input took (the larger of resident growth and managed allocation).</param>
/// <param name="Families">The same counts per seed family.</param>
/// <param name="Findings">Files written for untyped and over-limit inputs.</param>
/// <param name="UndecodableSeeds">Seeds that fail undamaged (a format variant GlcmMae refuses), with the error code.</param>
/// <param name="Limits">The limits in force, in words.</param>
internal sealed record FuzzReport(
    long Inputs,
    double Seconds,
    long Decoded,
    IReadOnlyDictionary<string, long> TypedErrors,
    IReadOnlyDictionary<string, long> Untyped,
    long OverTime,
    long OverMemory,
    double MaxMilliseconds,
    double P99Milliseconds,
    double MaxMemoryMegabytes,
    IReadOnlyList<FuzzFamilyReport> Families,
    IReadOnlyList<string> Findings,
    IReadOnlyList<string> UndecodableSeeds,
    string Limits)
{
    /// <summary>Inputs per second over the run.</summary>
    public double InputsPerSecond => Seconds > 0 ? Inputs / Seconds : 0;

    /// <summary>True when nothing threw untyped and nothing went over a limit.</summary>
    public bool Clean => Untyped.Count == 0 && OverTime == 0 && OverMemory == 0;
}
