namespace GlcmMae.Shared.Safety;

/// <summary>One scan's output read through a model's <see cref="SafetyProfile"/>.</summary>
/// <param name="Probabilities">Class probabilities after calibration.</param>
/// <param name="Best">Index of the most probable class.</param>
/// <param name="OodScore">The out-of-distribution score (higher: less like the training scans).</param>
/// <param name="OodScoreKind">Which score.</param>
/// <param name="Abstained">True when the score is above the profile's threshold: no label may be given.</param>
/// <param name="Positive">The decision for the positive class (null without an operating point, or when abstained).</param>
/// <param name="Scores">Every out-of-distribution score that could be computed for the scan, by kind.</param>
public sealed record SafetyAssessment(double[] Probabilities, int Best, double OodScore, OodScoreKind OodScoreKind, bool Abstained, bool? Positive, IReadOnlyDictionary<OodScoreKind, double> Scores);
