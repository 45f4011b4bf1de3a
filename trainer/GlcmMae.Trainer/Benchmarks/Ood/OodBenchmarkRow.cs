namespace GlcmMae.Trainer.Benchmarks.Ood;

/// <summary>One family of scans through the served model: what serving did with them, and how well each score tells them from the in-distribution scans.</summary>
/// <param name="Family">The family (<c>in-distribution</c> for the scans given).</param>
/// <param name="Scans">Scans served.</param>
/// <param name="Refused">Scans refused before any score (out of the model's scope, undecodable).</param>
/// <param name="Abstained">Scans the model's own rule abstained on.</param>
/// <param name="Labelled">Scans that got a label.</param>
/// <param name="AbstentionRate">Abstained / scored scans.</param>
/// <param name="EnergyAuroc">AUROC of the energy score, this family against the in-distribution scans (null for those).</param>
/// <param name="MaxProbabilityAuroc">The same for the maximum-probability score.</param>
/// <param name="TextureDistanceAuroc">The same for the texture distance (null when the model has no texture statistics).</param>
internal sealed record OodBenchmarkRow(string Family, int Scans, int Refused, int Abstained, int Labelled, double AbstentionRate, double? EnergyAuroc, double? MaxProbabilityAuroc, double? TextureDistanceAuroc);
