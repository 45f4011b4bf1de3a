using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Finetuning;

/// <summary>Mean and sample standard deviation of the test figures over the folds of a k-fold run.</summary>
internal sealed record CrossValidationSummary(int Folds, IReadOnlyDictionary<string, FigureSpread> Figures)
{
    /// <summary>File name in the run folder.</summary>
    public const string FileName = "cv-summary.json";

    /// <summary>Summarises every figure that is defined on all folds.</summary>
    public static CrossValidationSummary From(IReadOnlyList<ClassificationMetrics> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        var figures = new Dictionary<string, FigureSpread>();
        foreach (var (name, figure) in Bootstrap.Figures)
        {
            var values = folds.Select(figure).ToArray();
            if (values.Length == 0 || values.Any(v => v is null))
            {
                continue;
            }

            var mean = values.Average(v => v!.Value);
            var std = values.Length > 1 ? Math.Sqrt(values.Sum(v => Math.Pow(v!.Value - mean, 2)) / (values.Length - 1)) : 0;
            figures[name] = new FigureSpread(mean, std);
        }

        return new CrossValidationSummary(folds.Count, figures);
    }
}

/// <summary>Mean and sample standard deviation of one figure.</summary>
internal sealed record FigureSpread(double Mean, double Std);
