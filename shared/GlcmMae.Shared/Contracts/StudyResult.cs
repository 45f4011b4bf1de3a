namespace GlcmMae.Shared.Contracts;

/// <summary>
/// The message published to <c>study-results</c> once per complete study (schema version 1): the instances' results
/// aggregated by one rule, with every instance's result id. A late instance reopens the study; its next revision is
/// published with status <c>amended</c> and every instance so far.
/// </summary>
public sealed record StudyResult
{
    /// <summary>Current schema version.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Schema version of this message.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Deterministic id (hex SHA-256 of the study and revision): the Service Bus MessageId, so a republished revision is a duplicate.</summary>
    public required string StudyResultId { get; init; }

    /// <summary>Study Instance UID (pseudonymised when <c>Privacy:Mode=Pseudonymise</c>).</summary>
    public required string StudyInstanceUid { get; init; }

    /// <summary>1 for the first result of the study, then one more for each amendment.</summary>
    public required int Revision { get; init; }

    /// <summary><c>final</c> for revision 1, <c>amended</c> after a late instance.</summary>
    public required string Status { get; init; }

    /// <summary><c>quiet</c> (no new instance for the quiet period) or <c>expected</c> (the uploader's instance count was reached).</summary>
    public required string CompletedBy { get; init; }

    /// <summary>The rule the instances' probabilities were aggregated by (<c>Mean</c>, <c>MaxPositive</c>, <c>TopKMean</c>).</summary>
    public required string Rule { get; init; }

    /// <summary>k, for <c>TopKMean</c>.</summary>
    public int? TopK { get; init; }

    /// <summary>The most probable class of the aggregate; null when no instance was classified (or see <see cref="Note"/>).</summary>
    public string? Label { get; init; }

    /// <summary>Aggregated calibrated probabilities by label; null when there is no aggregate.</summary>
    public IReadOnlyDictionary<string, double>? Probabilities { get; init; }

    /// <summary><c>positive</c> or <c>negative</c> at the operating point of the one model that classified every aggregated instance; null otherwise.</summary>
    public string? Decision { get; init; }

    /// <summary>The class a positive decision names (the ranking rules rank by it).</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>The threshold the decision was taken at.</summary>
    public double? DecisionThreshold { get; init; }

    /// <summary>Why there is no label or decision, when there is none.</summary>
    public string? Note { get; init; }

    /// <summary>Result ids of the instances whose probabilities make up the aggregate.</summary>
    public required IReadOnlyList<string> Aggregated { get; init; }

    /// <summary>Every instance of the study so far, classified or not, in the order they were processed.</summary>
    public required IReadOnlyList<StudyInstance> Instances { get; init; }

    /// <summary>When the study result was made (UTC).</summary>
    public required DateTimeOffset CompletedAt { get; init; }
}
