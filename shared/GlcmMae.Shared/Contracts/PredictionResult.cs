namespace GlcmMae.Shared.Contracts;

/// <summary>The predicted class and every class probability.</summary>
public sealed record PredictionResult(string Label, int LabelIndex, IReadOnlyDictionary<string, double> Probabilities);
