namespace GlcmMae.Shared.Contracts;

/// <summary>The message published to <c>scan-results</c> for a classified scan (schema version 2).</summary>
/// <remarks>
/// Version 2 adds <see cref="Assessment"/> (calibration, out-of-distribution score, decision); every version 1 field
/// keeps its meaning, and the probabilities are the calibrated ones. A scan serving abstained on is never a result.
/// </remarks>
public sealed record ClassificationResult
{
    /// <summary>Current schema version.</summary>
    public const int CurrentSchemaVersion = 2;

    /// <summary>Schema version of this message.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Deterministic id: hex SHA-256 of blob URI, ETag and model version (the Service Bus MessageId).</summary>
    public required string ResultId { get; init; }

    /// <summary>The scan.</summary>
    public required ScanReference Scan { get; init; }

    /// <summary>The model.</summary>
    public required ModelReference Model { get; init; }

    /// <summary>The prediction.</summary>
    public required PredictionResult Prediction { get; init; }

    /// <summary>How far to trust the prediction (schema version 2; absent in version 1 messages).</summary>
    public ScanAssessment? Assessment { get; init; }

    /// <summary>For a multi-frame scan: the rule that made the result from its frames, and every classified frame's figures (schema version 2; absent for single-frame scans).</summary>
    public FrameAggregation? Frames { get; init; }

    /// <summary>Where the explanation overlay (a PNG of the model's input with the occlusion heat) was stored, when serving explained the scan: a path in the <c>results</c> container or below the local <c>results/</c> folder.</summary>
    public string? Explanation { get; init; }

    /// <summary>Stage timings in milliseconds.</summary>
    public required StageTimings Timings { get; init; }

    /// <summary>When the result was produced (UTC).</summary>
    public required DateTimeOffset ProcessedAt { get; init; }
}
