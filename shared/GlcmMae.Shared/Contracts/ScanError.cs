namespace GlcmMae.Shared.Contracts;

/// <summary>The message published to <c>scan-errors</c> for a scan that cannot be classified: a code and a human message, nothing else.</summary>
public sealed record ScanError
{
    /// <summary>Schema version of this message.</summary>
    public int SchemaVersion { get; init; } = ClassificationResult.CurrentSchemaVersion;

    /// <summary>Deterministic id (hex SHA-256 of blob URI, ETag and model version).</summary>
    public required string ErrorId { get; init; }

    /// <summary>The scan (identifiers known before the failure).</summary>
    public required ScanReference Scan { get; init; }

    /// <summary>Error code, e.g. UnsupportedFormat, CorruptFile, UnsupportedTransferSyntax, ImageTooLarge, OutOfScope, Abstained.</summary>
    public required string Code { get; init; }

    /// <summary>What went wrong and what to do; never a stack trace or patient data.</summary>
    public required string Message { get; init; }

    /// <summary>For <c>Abstained</c>: the score that refused the scan and its threshold (schema version 2; no label or probabilities).</summary>
    public ScanAssessment? Assessment { get; init; }

    /// <summary>Model version that would have classified the scan.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>When the error was recorded (UTC).</summary>
    public required DateTimeOffset ProcessedAt { get; init; }
}
