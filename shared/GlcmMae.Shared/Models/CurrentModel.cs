namespace GlcmMae.Shared.Models;

/// <summary><c>current.json</c>: the version serving uses, and the versions it replaced (newest last) for rollback.</summary>
public sealed record CurrentModel
{
    /// <summary>The serving version.</summary>
    public required string Version { get; init; }

    /// <summary>Versions it replaced, oldest first.</summary>
    public IReadOnlyList<string> Previous { get; init; } = [];

    /// <summary>When it became current (UTC).</summary>
    public DateTimeOffset PromotedAt { get; init; }

    /// <summary>Why it was promoted (publish gate decision, manual promotion, rollback).</summary>
    public string? Reason { get; init; }
}
