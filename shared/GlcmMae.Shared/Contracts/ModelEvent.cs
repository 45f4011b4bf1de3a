using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GlcmMae.Shared.Models;

namespace GlcmMae.Shared.Contracts;

/// <summary>
/// The message published to <c>model-events</c> (schema version 1) when a version is promoted, refused by the publish
/// gate, or rolled back to: consumers and dashboards learn which model answers without reading the registry.
/// </summary>
public sealed record ModelEvent
{
    /// <summary>Current schema version.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Schema version of this message.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Deterministic id (the Service Bus MessageId): hex SHA-256 of name, version, decision and time, so a resend is dropped as a duplicate.</summary>
    public required string EventId { get; init; }

    /// <summary>Model name.</summary>
    public required string Name { get; init; }

    /// <summary>The version decided on.</summary>
    public required string Version { get; init; }

    /// <summary>Promoted, refused or rolled back.</summary>
    public required ModelDecision Decision { get; init; }

    /// <summary>The version that answers after the decision.</summary>
    public required string ServingVersion { get; init; }

    /// <summary>The version that answered before it, if any.</summary>
    public string? PreviousVersion { get; init; }

    /// <summary>Who or what decided.</summary>
    public required string By { get; init; }

    /// <summary>Why.</summary>
    public required string Reason { get; init; }

    /// <summary>The champion comparison the gate decided on, when it compared.</summary>
    public ChampionComparison? Comparison { get; init; }

    /// <summary>When (UTC).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The event of a decision recorded in <c>current.json</c>.</summary>
    public static ModelEvent From(string name, PromotionRecord record, string servingVersion, string? previousVersion)
    {
        ArgumentNullException.ThrowIfNull(record);
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{name}\n{record.Version}\n{record.Decision}\n{record.At:O}"))));
        return new ModelEvent
        {
            EventId = id,
            Name = name,
            Version = record.Version,
            Decision = record.Decision,
            ServingVersion = servingVersion,
            PreviousVersion = previousVersion,
            By = record.By,
            Reason = record.Reason,
            Comparison = record.Comparison,
            At = record.At,
        };
    }
}
