namespace GlcmMae.Shared.Contracts;

/// <summary>
/// How far to trust a result (schema version 2): the out-of-distribution score and whether serving abstained, the
/// calibration applied to the probabilities, and the positive decision at the model's operating point.
/// </summary>
public sealed record ScanAssessment
{
    /// <summary>How unlike the training scans this one looks (higher: less alike), as <see cref="OodScoreKind"/> defines it.</summary>
    public required double OodScore { get; init; }

    /// <summary><c>TextureDistance</c> (Mahalanobis distance of the scan's texture statistics from the training scans'), <c>Energy</c> (-logsumexp of the logits) or <c>MaxProbability</c> (1 - the largest probability): the one the threshold applies to.</summary>
    public required string OodScoreKind { get; init; }

    /// <summary>Every score that could be computed, by kind (for monitoring drift; only <see cref="OodScore"/> decides).</summary>
    public IReadOnlyDictionary<string, double>? Scores { get; init; }

    /// <summary>The score above which serving abstains (fitted to keep a share of validation scans); null: the model has no abstention rule.</summary>
    public double? OodThreshold { get; init; }

    /// <summary>True when the scan was refused as unlike the training data: such a scan has no label (it is a <c>scan-errors</c> message with code <c>Abstained</c>).</summary>
    public required bool Abstained { get; init; }

    /// <summary>The temperature the probabilities were divided by (1: uncalibrated).</summary>
    public required double Temperature { get; init; }

    /// <summary><c>positive</c> or <c>negative</c> at the operating point; null when the model has none.</summary>
    public string? Decision { get; init; }

    /// <summary>The class a positive decision names.</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>The calibrated probability of <see cref="PositiveLabel"/> at or above which the decision is positive.</summary>
    public double? DecisionThreshold { get; init; }
}
