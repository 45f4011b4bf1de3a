namespace GlcmMae.Trainer.Benchmarks.Fuzzing;

/// <summary>Outcomes of the inputs made from one seed family.</summary>
internal sealed record FuzzFamilyReport(string Family, long Inputs, long Decoded, long TypedErrors, long Untyped, long OverTime, long OverMemory, double MaxMilliseconds);
