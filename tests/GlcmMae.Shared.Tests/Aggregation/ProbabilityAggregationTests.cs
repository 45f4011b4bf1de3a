using GlcmMae.Shared.Aggregation;

namespace GlcmMae.Shared.Tests.Aggregation;

public sealed class ProbabilityAggregationTests
{
    private static readonly double[][] Members = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]];

    [Fact]
    public void Mean_averages_every_member()
    {
        var aggregate = ProbabilityAggregation.Aggregate(Members, AggregationRule.Mean);

        Assert.Equal(0.5, aggregate.Probabilities[0], 12);
        Assert.Equal(0.5, aggregate.Probabilities[1], 12);
        Assert.Equal([0, 1, 2, 3], aggregate.Members);
    }

    [Fact]
    public void Max_positive_takes_the_member_most_likely_positive()
    {
        var aggregate = ProbabilityAggregation.Aggregate(Members, AggregationRule.MaxPositive, positive: 1);

        Assert.Equal([0.2, 0.8], aggregate.Probabilities);
        Assert.Equal([1], aggregate.Members);
        // By the other class, the other member.
        Assert.Equal([0], ProbabilityAggregation.Aggregate(Members, AggregationRule.MaxPositive, positive: 0).Members);
    }

    [Fact]
    public void Top_k_mean_averages_the_k_most_positive_and_caps_k_at_the_member_count()
    {
        var aggregate = ProbabilityAggregation.Aggregate(Members, AggregationRule.TopKMean, positive: 1, topK: 2);

        Assert.Equal([1, 3], aggregate.Members);
        Assert.Equal(0.25, aggregate.Probabilities[0], 12);
        Assert.Equal(0.75, aggregate.Probabilities[1], 12);
        Assert.Equal(4, ProbabilityAggregation.Aggregate(Members, AggregationRule.TopKMean, positive: 1, topK: 10).Members.Count);
    }

    [Fact]
    public void Ranking_rules_refuse_to_guess_the_positive_class_and_nothing_is_not_aggregated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbabilityAggregation.Aggregate(Members, AggregationRule.MaxPositive));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbabilityAggregation.Aggregate(Members, AggregationRule.TopKMean, positive: 2));
        Assert.Throws<ArgumentException>(() => ProbabilityAggregation.Aggregate([], AggregationRule.Mean));
        Assert.Throws<ArgumentException>(() => ProbabilityAggregation.Aggregate([[0.5, 0.5], [1.0]], AggregationRule.Mean));
    }
}
