namespace GlcmMae.Trainer.Benchmarks;

/// <summary>The figures of one <c>bench train-step</c> run.</summary>
internal sealed record TrainStepBenchmarkResult(
    string Model,
    int Batch,
    int Bins,
    string Device,
    int Threads,
    IReadOnlyList<StepTiming> Steps,
    IReadOnlyList<GlcmTermCost> GlcmTerm)
{
    /// <summary>Full GLCM-MAE step time over the MSE-only step time.</summary>
    public double StepRatio => Steps[1].MillisecondsPerStep / Steps[0].MillisecondsPerStep;

    /// <summary>Direct (published) GLCM-term peak memory over ours; null where memory is not measured.</summary>
    public double? MemoryRatio => GlcmTerm.Count > 1 && GlcmTerm[^1].PeakBytes is { } direct && GlcmTerm[0].PeakBytes is { } ours && ours > 0 ? (double)direct / ours : null;
}

/// <summary>Time per optimiser step (forward, loss, backward, AdamW) and throughput.</summary>
internal sealed record StepTiming(string Loss, double MillisecondsPerStep, double ImagesPerSecond);

/// <summary>Forward + backward of the GLCM term alone, and its peak resident memory (CPU only).</summary>
internal sealed record GlcmTermCost(string Formulation, double Milliseconds, long? PeakBytes);
