namespace GlcmMae.Shared.Contracts;

/// <summary>The message published to <c>scan-results</c> for a classified scan (schema version 1).</summary>
public sealed record ClassificationResult
{
    /// <summary>Current schema version.</summary>
    public const int CurrentSchemaVersion = 1;

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

    /// <summary>Stage timings in milliseconds.</summary>
    public required StageTimings Timings { get; init; }

    /// <summary>When the result was produced (UTC).</summary>
    public required DateTimeOffset ProcessedAt { get; init; }
}
