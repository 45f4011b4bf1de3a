namespace GlcmMae.Trainer.Evaluation;

/// <summary>The figure the publish gate compares.</summary>
internal enum GateMetric
{
    /// <summary>Mean per-class sensitivity: robust to class imbalance (the default).</summary>
    BalancedAccuracy,

    /// <summary>Share of images classified correctly.</summary>
    Accuracy,

    /// <summary>Mean one-vs-rest AUROC: ranking quality, independent of the decision threshold.</summary>
    MacroAuroc,
}

/// <summary>Names and values of <see cref="GateMetric"/>.</summary>
internal static class GateMetrics
{
    /// <summary>The name figures use in manifests and reports (camelCase, e.g. balancedAccuracy).</summary>
    public static string Name(this GateMetric metric) => metric switch
    {
        GateMetric.Accuracy => "accuracy",
        GateMetric.MacroAuroc => "macroAuroc",
        _ => "balancedAccuracy",
    };

    /// <summary>The figure, or null where it is undefined (an AUROC without both classes).</summary>
    public static double? Of(this GateMetric metric, ClassificationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metric switch
        {
            GateMetric.Accuracy => metrics.Accuracy,
            GateMetric.MacroAuroc => metrics.MacroAuroc,
            _ => metrics.BalancedAccuracy,
        };
    }
}
