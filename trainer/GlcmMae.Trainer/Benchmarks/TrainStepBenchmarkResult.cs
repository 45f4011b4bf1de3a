namespace GlcmMae.Trainer.Benchmarks;

/// <summary>The figures of one <c>bench train-step</c> run.</summary>
internal sealed record TrainStepBenchmarkResult(
    string Model,
    int Batch,
    int Bins,
    string Device,
    int Threads,
    IReadOnlyList<StepTiming> Steps,
    IReadOnlyList<double> RoundRatios,
    IReadOnlyList<GlcmTermCost> GlcmTerm)
{
    /// <summary>Full GLCM-MAE step time over the MSE-only step time: the median of the paired rounds' ratios.</summary>
    public double StepRatio => Quantile(0.5);

    /// <summary>The lower and upper quartiles of the rounds' ratios: how much the machine's noise moves the figure.</summary>
    public (double Lower, double Upper) StepRatioQuartiles => (Quantile(0.25), Quantile(0.75));

    // Linear interpolation between order statistics (type 7, as NumPy's default).
    private double Quantile(double q)
    {
        var sorted = RoundRatios.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    /// <summary>Direct (published) GLCM-term peak memory over ours; null where memory is not measured.</summary>
    public double? MemoryRatio => GlcmTerm.Count > 1 && GlcmTerm[^1].PeakBytes is { } direct && GlcmTerm[0].PeakBytes is { } ours && ours > 0 ? (double)direct / ours : null;
}

/// <summary>Time per optimiser step (forward, loss, backward, AdamW) and throughput.</summary>
internal sealed record StepTiming(string Loss, double MillisecondsPerStep, double ImagesPerSecond);

/// <summary>Forward + backward of the GLCM term alone, and its peak resident memory (CPU only).</summary>
internal sealed record GlcmTermCost(string Formulation, double Milliseconds, long? PeakBytes);
