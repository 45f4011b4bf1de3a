namespace GlcmMae.Shared.Models;

/// <summary><c>current.json</c>: the version serving uses, the versions it replaced (newest last) for rollback, and every decision taken.</summary>
public sealed record CurrentModel
{
    /// <summary>Decisions kept in <see cref="History"/>; older ones are dropped (each version's model card keeps its own).</summary>
    public const int HistoryLimit = 500;

    /// <summary>The serving version.</summary>
    public required string Version { get; init; }

    /// <summary>Versions it replaced, oldest first.</summary>
    public IReadOnlyList<string> Previous { get; init; } = [];

    /// <summary>When it became current (UTC).</summary>
    public DateTimeOffset PromotedAt { get; init; }

    /// <summary>Why it was promoted (publish gate decision, manual promotion, rollback).</summary>
    public string? Reason { get; init; }

    /// <summary>Who or what promoted it.</summary>
    public string? PromotedBy { get; init; }

    /// <summary>Promotions, refusals and rollbacks, oldest first.</summary>
    public IReadOnlyList<PromotionRecord> History { get; init; } = [];

    /// <summary>The history with one more decision, within <see cref="HistoryLimit"/>.</summary>
    public IReadOnlyList<PromotionRecord> With(PromotionRecord record) => [.. History.Append(record).TakeLast(HistoryLimit)];
}
