using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Reports;

/// <summary>Writes an evaluation: <c>metrics.json</c>, <c>predictions.json</c>, PNG plots and a self-contained <c>report.html</c>.</summary>
internal static class EvaluationReport
{
    /// <summary>File name of the figures.</summary>
    public const string MetricsFile = "metrics.json";

    /// <summary>File name of the HTML report.</summary>
    public const string HtmlFile = "report.html";

    /// <summary>Computes figures and intervals, draws the plots and writes everything under <paramref name="folder"/>.</summary>
    /// <param name="folder">Output folder (created).</param>
    /// <param name="title">Heading of the report.</param>
    /// <param name="model">Model folder, for the record.</param>
    /// <param name="evaluatedOn">What the predictions are of.</param>
    /// <param name="predictions">Labels and probabilities.</param>
    /// <param name="images">The evaluated images (CHW, parallel to the predictions), for the misclassified grid; may be empty.</param>
    /// <param name="size">Image side.</param>
    /// <param name="positiveLabel">Class for the binary figures, if any.</param>
    /// <param name="resamples">Bootstrap resamples.</param>
    /// <param name="history">Fine-tuning epochs, for the curves; may be empty.</param>
    public static EvaluationSummary Write(
        string folder,
        string title,
        string model,
        string evaluatedOn,
        Predictions predictions,
        IReadOnlyList<float[]> images,
        int size,
        string? positiveLabel,
        int resamples,
        IReadOnlyList<FinetuneEpoch> history)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        Directory.CreateDirectory(folder);
        var metrics = ClassificationMetrics.Compute(predictions, positiveLabel);
        var intervals = resamples > 0 ? Bootstrap.Intervals(predictions, positiveLabel, resamples) : new Dictionary<string, ConfidenceInterval>();
        var summary = new EvaluationSummary
        {
            Title = title,
            Model = model,
            EvaluatedOn = evaluatedOn,
            Metrics = metrics,
            Intervals = intervals,
            BootstrapResamples = resamples,
            Created = DateTimeOffset.UtcNow,
        };
        File.WriteAllText(Path.Combine(folder, MetricsFile), JsonSerializer.Serialize(summary, RunJson.Options));
        var rows = Enumerable.Range(0, predictions.Count).Select(i => new
        {
            source = i < predictions.Sources.Count ? predictions.Sources[i] : null,
            truth = predictions.Labels[predictions.Truth[i]],
            predicted = predictions.Labels[predictions.Predicted(i)],
            probabilities = predictions.Labels.Select((l, c) => (l, c)).ToDictionary(t => t.l, t => predictions.Probabilities[i][t.c]),
        });
        File.WriteAllText(Path.Combine(folder, "predictions.json"), JsonSerializer.Serialize(rows, RunJson.Options));

        var plots = Path.Combine(folder, "plots");
        var figures = new List<(string Caption, string File)>();
        if (history.Count > 0)
        {
            EvaluationPlots.Curves(Path.Combine(plots, "curves.png"), history);
            figures.Add(("Loss and accuracy per epoch; the dashed line marks the epoch selected on validation.", "curves.png"));
        }

        EvaluationPlots.Confusion(Path.Combine(plots, "confusion.png"), metrics);
        figures.Add(("Confusion matrix (rows: true class; shading: fraction of the true class).", "confusion.png"));
        EvaluationPlots.Roc(Path.Combine(plots, "roc.png"), predictions, metrics);
        figures.Add(("ROC curves, each class against the rest.", "roc.png"));
        EvaluationPlots.Reliability(Path.Combine(plots, "reliability.png"), metrics);
        figures.Add(("Reliability diagram of the top-class confidence.", "reliability.png"));
        var wrong = Enumerable.Range(0, predictions.Count).Where(i => predictions.Predicted(i) != predictions.Truth[i] && i < images.Count).ToArray();
        var drawn = EvaluationPlots.Misclassified(Path.Combine(plots, "misclassified.png"), [.. wrong.Select(i => images[i])], size);
        if (drawn > 0)
        {
            var captions = string.Join("; ", wrong.Take(drawn).Select((i, n) => string.Create(CultureInfo.InvariantCulture, $"{n + 1}: {predictions.Labels[predictions.Truth[i]]} as {predictions.Labels[predictions.Predicted(i)]}")));
            figures.Add(($"Misclassified images, row by row ({captions}).", "misclassified.png"));
        }

        File.WriteAllText(Path.Combine(folder, HtmlFile), Html(summary, figures, plots));
        return summary;
    }

    private static string Html(EvaluationSummary summary, IReadOnlyList<(string Caption, string File)> figures, string plots)
    {
        var m = summary.Metrics;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode(summary.Title)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1500px;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
            .Append("figure{margin:1.5em 0}img{max-width:100%;border:1px solid #ddd}figcaption{color:#555;font-size:0.9em}.note{color:#555}</style></head><body>");
        html.Append("<h1>").Append(Encode(summary.Title)).Append("</h1>");
        html.Append(Invariant($"<p class=\"note\">Model <code>{Encode(summary.Model)}</code>, evaluated on {Encode(summary.EvaluatedOn)}: {m.Count} images. "))
            .Append(Invariant($"Intervals: 95% percentile bootstrap over images, {summary.BootstrapResamples} resamples. Created {summary.Created:u}.</p>"));
        html.Append("<h2>Summary</h2><table><tr><th>figure</th><th>value</th><th>95% CI</th></tr>");
        foreach (var (name, label) in new[]
                 {
                     ("accuracy", "accuracy"), ("balancedAccuracy", "balanced accuracy"), ("macroAuroc", "macro AUROC (one vs rest)"),
                     ("positiveAuroc", $"AUROC of {m.PositiveLabel}"), ("positiveSensitivity", $"sensitivity of {m.PositiveLabel}"),
                     ("positiveSpecificity", $"specificity of {m.PositiveLabel}"), ("expectedCalibrationError", "expected calibration error"),
                 })
        {
            if (summary.Intervals.TryGetValue(name, out var ci))
            {
                html.Append(Invariant($"<tr><td>{Encode(label)}</td><td>{ci.Estimate:F3}</td><td>{ci.Lower:F3} - {ci.Upper:F3}</td></tr>"));
            }
            else if (Bootstrap.Figures[name](m) is { } value)
            {
                html.Append(Invariant($"<tr><td>{Encode(label)}</td><td>{value:F3}</td><td></td></tr>"));
            }
        }

        html.Append(Invariant($"<tr><td>log loss</td><td>{m.LogLoss:F3}</td><td></td></tr></table>"));
        html.Append("<h2>Per class</h2><table><tr><th>class</th><th>support</th><th>predicted</th><th>sensitivity</th><th>specificity</th><th>precision</th><th>F1</th><th>AUROC</th></tr>");
        foreach (var c in m.Classes)
        {
            html.Append(Invariant($"<tr><td>{Encode(c.Label)}</td><td>{c.Support}</td><td>{c.Predicted}</td><td>{Cell(c.Sensitivity)}</td><td>{Cell(c.Specificity)}</td><td>{Cell(c.Precision)}</td><td>{Cell(c.F1)}</td><td>{Cell(c.Auroc)}</td></tr>"));
        }

        html.Append("</table><p class=\"note\">Empty cells are undefined (e.g. AUROC of a class with no images in the set).</p><h2>Plots</h2>");
        foreach (var (caption, file) in figures)
        {
            // Embedded, so the report is one file that can be mailed or published next to the model.
            var data = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(plots, file)));
            html.Append("<figure><img alt=\"").Append(Encode(file)).Append("\" src=\"data:image/png;base64,").Append(data).Append("\"><figcaption>")
                .Append(Encode(caption)).Append("</figcaption></figure>");
        }

        html.Append("</body></html>");
        return html.ToString();
    }

    private static string Cell(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : string.Empty;

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
