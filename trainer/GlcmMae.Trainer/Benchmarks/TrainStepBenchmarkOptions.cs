using static TorchSharp.torch;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>What <c>bench train-step</c> measures.</summary>
internal sealed record TrainStepBenchmarkOptions
{
    public string Model { get; init; } = "tiny";

    public int Batch { get; init; } = 32;

    public int Bins { get; init; } = 256;

    public int Steps { get; init; } = 160;

    public int WarmupSteps { get; init; } = 3;

    public long Seed { get; init; } = 1;

    public Device Device { get; init; } = CPU;

    /// <summary>Skip the direct (published) GLCM formulation, which takes seconds per call.</summary>
    public bool SkipDirect { get; init; }
}
