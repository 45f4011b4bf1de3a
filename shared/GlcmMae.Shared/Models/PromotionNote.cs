namespace GlcmMae.Shared.Models;

/// <summary>Why a decision was taken, by whom or what, and on what evidence (the champion comparison, when there was one).</summary>
/// <param name="Reason">Why, in words.</param>
/// <param name="By">A user for manual actions, "publish gate" for automatic ones.</param>
/// <param name="Comparison">The gate's figures.</param>
public sealed record PromotionNote(string Reason, string By, ChampionComparison? Comparison = null)
{
    /// <summary>The history entry of this note applied to <paramref name="version"/>.</summary>
    public PromotionRecord Record(string version, ModelDecision decision, DateTimeOffset at) =>
        new() { Version = version, Decision = decision, At = at, By = By, Reason = Reason, Comparison = Comparison };
}
