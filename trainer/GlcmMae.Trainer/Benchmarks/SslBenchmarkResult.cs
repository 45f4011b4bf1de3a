using GlcmMae.Trainer.Torch;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>One (pretraining arm, evaluation mode, seed) outcome on the held-out test set.</summary>
internal sealed record SslRun(string Arm, string Mode, long Seed, double Accuracy, double BalancedAccuracy, double? MacroAuroc, double? MalignantAuroc, int TestImages);

/// <summary>Mean and sample standard deviation over seeds of one arm and mode.</summary>
internal sealed record SslRow(string Arm, string Mode, int Seeds, double AccuracyMean, double AccuracyStd, double BalancedAccuracyMean, double BalancedAccuracyStd, double? MacroAurocMean, double? MacroAurocStd);

/// <summary>The benchmark's table and every run behind it.</summary>
internal sealed record SslBenchmarkResult(SslBenchmarkOptions Options, IReadOnlyList<SslRow> Rows, IReadOnlyList<SslRun> Runs, double Seconds);
