namespace GlcmMae.Shared.Aggregation;

/// <summary>How several class-probability vectors (the frames of a cine loop, the instances of a study) become one.</summary>
public enum AggregationRule
{
    /// <summary>The mean of every member's probabilities: robust when the finding is visible throughout.</summary>
    Mean,

    /// <summary>
    /// The probabilities of the member most likely to be positive: the finding is called as soon as one member shows it
    /// (the most sensitive rule; needs a positive class).
    /// </summary>
    MaxPositive,

    /// <summary>The mean over the k members most likely to be positive: between the two (needs a positive class).</summary>
    TopKMean,
}
