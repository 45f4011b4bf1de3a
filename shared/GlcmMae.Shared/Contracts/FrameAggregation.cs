namespace GlcmMae.Shared.Contracts;

/// <summary>How a multi-frame scan's result was made from its frames (schema version 2; absent for single-frame scans).</summary>
public sealed record FrameAggregation
{
    /// <summary><c>Mean</c>, <c>MaxPositive</c> or <c>TopKMean</c>.</summary>
    public required string Rule { get; init; }

    /// <summary>k, for <c>TopKMean</c>.</summary>
    public int? TopK { get; init; }

    /// <summary>The class the ranking rules ranked frames by.</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>Frames in the scan.</summary>
    public required int FramesInScan { get; init; }

    /// <summary>Indices of the frames whose probabilities make up the scan's (after sampling, abstention and ranking).</summary>
    public required IReadOnlyList<int> Aggregated { get; init; }

    /// <summary>Every classified frame (all of them, or an even sample of long loops), in frame order.</summary>
    public required IReadOnlyList<FrameResult> Frames { get; init; }
}
