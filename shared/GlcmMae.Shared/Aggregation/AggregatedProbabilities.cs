namespace GlcmMae.Shared.Aggregation;

/// <summary>The outcome of aggregating members' probabilities.</summary>
/// <param name="Probabilities">One probability per class; sums to 1 when the members' do.</param>
/// <param name="Members">Indices (into the input) of the members the probabilities were taken from, most positive first for the ranking rules.</param>
public sealed record AggregatedProbabilities(double[] Probabilities, IReadOnlyList<int> Members);
