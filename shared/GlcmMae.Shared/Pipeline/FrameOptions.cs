using System.ComponentModel.DataAnnotations;
using GlcmMae.Shared.Aggregation;

namespace GlcmMae.Shared.Pipeline;

/// <summary>How a multi-frame scan (a cine loop, a multi-frame CT or US object) becomes one result (section "Frames").</summary>
/// <remarks>
/// Every frame is preprocessed exactly as a single-frame scan is; only which frames and how their probabilities combine
/// is set here. A scan abstains when at least half its frames are unlike the training scans; frames the model would
/// abstain on are left out of the aggregate.
/// </remarks>
public sealed record FrameOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Frames";

    /// <summary>All frames (the default) or only the one the model's preprocessing selects.</summary>
    public FrameMode Mode { get; set; } = FrameMode.All;

    /// <summary>Most frames classified per scan; longer loops are sampled evenly, first and last frame included.</summary>
    [Range(1, 4096)]
    public int MaxFrames { get; set; } = 32;

    /// <summary>How the frames' calibrated probabilities combine into the scan's.</summary>
    public AggregationRule Aggregation { get; set; } = AggregationRule.Mean;

    /// <summary>k of <see cref="AggregationRule.TopKMean"/>.</summary>
    [Range(1, 4096)]
    public int TopK { get; set; } = 3;

    /// <summary>
    /// The class the ranking rules rank frames by, when the model has no operating point naming one (exported with
    /// <c>--positive</c>); a ranking rule with neither refuses to serve multi-frame scans rather than guess.
    /// </summary>
    public string? PositiveLabel { get; set; }

    /// <summary>The frame indices to classify of a scan with <paramref name="frameCount"/> frames: all, or <see cref="MaxFrames"/> evenly spaced.</summary>
    public IReadOnlyList<int> Sample(int frameCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameCount, 1);
        if (frameCount <= MaxFrames)
        {
            return Enumerable.Range(0, frameCount).ToArray();
        }

        if (MaxFrames == 1)
        {
            return [frameCount / 2];
        }

        // Evenly spaced from the first frame to the last; distinct because frameCount > MaxFrames.
        return Enumerable.Range(0, MaxFrames).Select(i => (int)Math.Round(i * (frameCount - 1) / (double)(MaxFrames - 1), MidpointRounding.AwayFromZero)).ToArray();
    }
}
