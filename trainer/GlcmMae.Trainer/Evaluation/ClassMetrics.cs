namespace GlcmMae.Trainer.Evaluation;

/// <summary>One-vs-rest figures for one class; null where the figure is undefined (e.g. no scans of the class).</summary>
internal sealed record ClassMetrics(
    string Label,
    int Support,
    int Predicted,
    double? Sensitivity,
    double? Specificity,
    double? Precision,
    double? F1,
    double? Auroc);
