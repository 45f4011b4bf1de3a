namespace GlcmMae.Shared.Models;

/// <summary>One decision in <c>current.json</c>'s history: which version, what happened, when, by whom or what, why, and the evidence.</summary>
public sealed record PromotionRecord
{
    /// <summary>The version decided on.</summary>
    public required string Version { get; init; }

    /// <summary>Promoted, refused or rolled back.</summary>
    public required ModelDecision Decision { get; init; }

    /// <summary>When (UTC).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Who or what decided: a user for manual promotions and rollbacks, "publish gate" for the automatic ones.</summary>
    public required string By { get; init; }

    /// <summary>Why, in words.</summary>
    public required string Reason { get; init; }

    /// <summary>The champion/challenger figures the publish gate decided on, when it compared.</summary>
    public ChampionComparison? Comparison { get; init; }
}
