namespace GlcmMae.Trainer.Evaluation;

/// <summary>A point estimate and its percentile bootstrap interval.</summary>
internal sealed record ConfidenceInterval(double Estimate, double Lower, double Upper);
