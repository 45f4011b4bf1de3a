namespace GlcmMae.Trainer.Evaluation;

/// <summary>The JSON written as <c>metrics.json</c>: figures, bootstrap intervals and what was evaluated.</summary>
internal sealed record EvaluationSummary
{
    public required string Title { get; init; }

    /// <summary>The model folder evaluated.</summary>
    public required string Model { get; init; }

    /// <summary>Which data: a split name or a dataset path.</summary>
    public required string EvaluatedOn { get; init; }

    public required ClassificationMetrics Metrics { get; init; }

    /// <summary>95% percentile bootstrap intervals by figure name.</summary>
    public required IReadOnlyDictionary<string, ConfidenceInterval> Intervals { get; init; }

    public int BootstrapResamples { get; init; }

    public DateTimeOffset Created { get; init; }
}
