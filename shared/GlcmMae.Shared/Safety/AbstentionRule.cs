namespace GlcmMae.Shared.Safety;

/// <summary>When serving abstains: a scan whose out-of-distribution score is above the threshold gets no label.</summary>
/// <param name="Score">The score compared.</param>
/// <param name="Threshold">Chosen on validation so that <paramref name="TargetKeepRate"/> of its scans are at or below it.</param>
/// <param name="TargetKeepRate">The share of in-distribution validation scans to keep (e.g. 0.95).</param>
/// <param name="ValidationKeepRate">The share of validation scans the threshold actually keeps.</param>
public sealed record AbstentionRule(OodScoreKind Score, double Threshold, double TargetKeepRate, double ValidationKeepRate);
