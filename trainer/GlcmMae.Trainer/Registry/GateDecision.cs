using GlcmMae.Shared.Models;

namespace GlcmMae.Trainer.Registry;

/// <summary>What the publish gate decided, why, and on what figures.</summary>
/// <param name="Promote">True when the candidate becomes the serving model.</param>
/// <param name="Verdict">The kind of decision.</param>
/// <param name="Reason">Why, in words for the log, current.json and the model card.</param>
/// <param name="Comparison">Both models' figures on the same images, when they were compared.</param>
internal sealed record GateDecision(bool Promote, GateVerdict Verdict, string Reason, ChampionComparison? Comparison = null);

/// <summary>The kinds of publish decision.</summary>
internal enum GateVerdict
{
    /// <summary>Nothing serves yet: the first model is promoted.</summary>
    FirstModel,

    /// <summary>The candidate is not worse than the champion by more than the tolerance (the interval's lower end says so).</summary>
    NotWorse,

    /// <summary>The candidate is worse than the champion by more than the tolerance.</summary>
    Worse,

    /// <summary>The candidate is not clearly worse, but the interval does not rule out that it is.</summary>
    Inconclusive,

    /// <summary>The test split has too few images of some class to decide.</summary>
    TooFewImages,

    /// <summary>The two models do not predict the same classes.</summary>
    ClassesDiffer,

    /// <summary>The candidate has no test split (or its scans are no longer as they were) to compare on.</summary>
    NoTestSplit,

    /// <summary>The policy decided, not the gate (--promote always or never).</summary>
    Policy,
}
