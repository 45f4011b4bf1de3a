using GlcmMae.Shared.Aggregation;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Safety;

namespace GlcmMae.Shared.Pipeline;

/// <summary>
/// Makes one scan's assessment from its frames' (<see cref="FrameOptions"/>): the scan abstains when at least half its
/// frames would; otherwise the frames that would not are aggregated by the rule, and the decision is taken on the
/// aggregate at the model's operating point.
/// </summary>
public static class FrameCombiner
{
    /// <summary>The scan's assessment, the per-frame record, and which of the classified frames (its position in <paramref name="frameIndices"/>) best shows the answer, for explanations.</summary>
    /// <param name="frameIndices">The classified frames' numbers, in order.</param>
    /// <param name="frames">Their assessments, in the same order (at least two).</param>
    /// <param name="framesInScan">Frames in the scan.</param>
    /// <param name="safety">The model's profile as serving applies it (null: none).</param>
    /// <param name="labels">Class labels.</param>
    /// <param name="options">The rule.</param>
    public static (SafetyAssessment Scan, FrameAggregation Record, int Shown) Combine(
        IReadOnlyList<int> frameIndices, IReadOnlyList<SafetyAssessment> frames, int framesInScan, SafetyProfile? safety, IReadOnlyList<string> labels, FrameOptions options)
    {
        ArgumentNullException.ThrowIfNull(frameIndices);
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        if (frames.Count != frameIndices.Count || frames.Count == 0)
        {
            throw new ArgumentException("One assessment per classified frame is needed.", nameof(frames));
        }

        var positiveLabel = safety?.OperatingPoint?.PositiveLabel ?? options.PositiveLabel;
        var positive = positiveLabel is null ? -1 : labels.ToList().IndexOf(positiveLabel);
        if (ProbabilityAggregation.NeedsPositiveClass(options.Aggregation) && positive < 0)
        {
            throw new InvalidOperationException(positiveLabel is null
                ? $"Frames:Aggregation is {options.Aggregation}, which ranks frames by the positive class, but the model has no operating point: set Frames:PositiveLabel to one of {string.Join(", ", labels)}, export the model with --positive, or use Mean."
                : $"Frames:PositiveLabel '{positiveLabel}' is not one of the model's labels ({string.Join(", ", labels)}).");
        }

        var kept = Enumerable.Range(0, frames.Count).Where(f => !frames[f].Abstained).ToList();
        var kind = frames[0].OodScoreKind;
        var oodScore = UpperMedian(frames.Select(f => f.OodScore));
        var scores = frames[0].Scores.Keys.ToDictionary(k => k, k => UpperMedian(frames.Select(f => f.Scores.GetValueOrDefault(k, double.NaN))));
        var record = new FrameAggregation
        {
            Rule = options.Aggregation.ToString(),
            TopK = options.Aggregation == AggregationRule.TopKMean ? options.TopK : null,
            PositiveLabel = positive >= 0 ? positiveLabel : null,
            FramesInScan = framesInScan,
            Aggregated = [],
            Frames = frames.Select((f, i) => new FrameResult(
                frameIndices[i],
                f.Abstained ? null : labels[f.Best],
                labels.Select((l, c) => (l, c)).ToDictionary(t => t.l, t => f.Probabilities[t.c]),
                f.OodScore,
                f.Abstained)).ToArray(),
        };
        if (kept.Count * 2 <= frames.Count)
        {
            var refused = new SafetyAssessment(new double[labels.Count], 0, oodScore, kind, Abstained: true, Positive: null, scores);
            return (refused, record, 0);
        }

        var aggregate = ProbabilityAggregation.Aggregate(kept.Select(f => frames[f].Probabilities).ToArray(), options.Aggregation, positive, options.TopK);
        var probabilities = aggregate.Probabilities;
        var best = Array.IndexOf(probabilities, probabilities.Max());
        var decision = SafetyAssessor.Decide(probabilities, safety, labels);

        var members = aggregate.Members.Select(m => kept[m]).ToArray();
        // The frame an explanation shows: the most positive one for the ranking rules, else the frame most sure of the answer.
        var shown = ProbabilityAggregation.NeedsPositiveClass(options.Aggregation) ? members[0] : members.MaxBy(m => frames[m].Probabilities[best]);
        var scan = new SafetyAssessment(probabilities, best, oodScore, kind, Abstained: false, decision, scores);
        return (scan, record with { Aggregated = members.Select(m => frameIndices[m]).ToArray() }, shown);
    }

    // The upper median: above a threshold exactly when at least half the values are.
    private static double UpperMedian(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
