namespace GlcmMae.Trainer.Benchmarks.Pipeline;

/// <summary>What <c>glcmmae bench pipeline</c> measured in one run, with the ledger that says whether anything was lost or doubled.</summary>
internal sealed record PipelineRehearsalResult
{
    /// <summary>The run's settings.</summary>
    public required PipelineRehearsalOptions Options { get; init; }

    /// <summary>The machine, in words.</summary>
    public required string Machine { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>Events written to <c>scan-events</c>, repeats included.</summary>
    public required int EventsSent { get; init; }

    /// <summary>Events written a second time.</summary>
    public required int DuplicateEvents { get; init; }

    /// <summary>Events written base64-encoded.</summary>
    public required int Base64Events { get; init; }

    /// <summary>Events written in the CloudEvents 1.0 schema (the rest in Event Grid's).</summary>
    public required int CloudEvents { get; init; }

    /// <summary>From the first upload to the last outcome.</summary>
    public required double Seconds { get; init; }

    /// <summary>Distinct scans with an outcome per second over <see cref="Seconds"/>.</summary>
    public required double ScansPerSecond { get; init; }

    /// <summary>Median time from an upload finishing to its first outcome reaching the broker.</summary>
    public required double LatencyP50Milliseconds { get; init; }

    /// <summary>95th percentile of the same.</summary>
    public required double LatencyP95Milliseconds { get; init; }

    /// <summary>Longest of the same.</summary>
    public required double LatencyMaxMilliseconds { get; init; }

    /// <summary>Results per model version.</summary>
    public required IReadOnlyDictionary<string, int> ResultsPerModel { get; init; }

    /// <summary>The faults, when they happened.</summary>
    public required IReadOnlyList<RehearsalFault> Faults { get; init; }

    /// <summary>Queue messages received by the receivers (redeliveries count again).</summary>
    public required long Received { get; init; }

    /// <summary>Tries that failed and were left for another (broker or storage away).</summary>
    public required long Retried { get; init; }

    /// <summary>Queue calls that failed because storage was away.</summary>
    public required long StorageFailures { get; init; }

    /// <summary>Messages the broker accepted and dropped as duplicates (same message id on the same topic).</summary>
    public required int DuplicatesDropped { get; init; }

    /// <summary>The account per blob.</summary>
    public required PipelineLedger Ledger { get; init; }
}
