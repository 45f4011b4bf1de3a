namespace GlcmMae.Trainer.Benchmarks.Pipeline;

/// <summary>A fault as it happened: seconds after the first upload, and what.</summary>
internal sealed record RehearsalFault(double AtSeconds, string What);
