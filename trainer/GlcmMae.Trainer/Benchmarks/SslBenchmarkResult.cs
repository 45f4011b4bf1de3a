using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Torch;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>One (pretraining arm, evaluation mode, seed) outcome on the held-out test set.</summary>
internal sealed record SslRun(string Arm, string Mode, long Seed, double Accuracy, double BalancedAccuracy, double? MacroAuroc, double? MalignantAuroc, int TestImages)
{
    /// <summary>The labelled fraction of the pool the run was trained with.</summary>
    public double Labelled { get; init; }

    /// <summary>True class and class probabilities per test image, keyed by the image's path: what the paired comparisons pair on (never written out, as paths can name patients).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, (int Truth, double[] Probabilities)> Images { get; init; } = new Dictionary<string, (int, double[])>();
}

/// <summary>Mean and sample standard deviation over seeds of one arm and mode.</summary>
internal sealed record SslRow(string Arm, string Mode, int Seeds, double AccuracyMean, double AccuracyStd, double BalancedAccuracyMean, double BalancedAccuracyStd, double? MacroAurocMean, double? MacroAurocStd)
{
    /// <summary>The labelled fraction of the pool.</summary>
    public double Labelled { get; init; }
}

/// <summary>Arm <paramref name="B"/> against arm <paramref name="A"/> in one evaluation mode, on the same test images of every seed pooled.</summary>
internal sealed record SslComparison(string Mode, string A, string B, PairedComparison Paired)
{
    /// <summary>The labelled fraction of the pool both arms were trained with.</summary>
    public double Labelled { get; init; }
}

/// <summary>Texture fidelity of one pretrained arm's reconstructions of one seed's test images.</summary>
internal sealed record SslFidelity(string Arm, long Seed, TextureFidelity Measures);

/// <summary>The benchmark's table, the paired comparisons, the texture fidelity, and every run behind them.</summary>
internal sealed record SslBenchmarkResult(
    SslBenchmarkOptions Options, string Dataset, IReadOnlyList<SslRow> Rows, IReadOnlyList<SslComparison> Comparisons, IReadOnlyList<SslFidelity> Fidelity, IReadOnlyList<SslRun> Runs, double Seconds);
