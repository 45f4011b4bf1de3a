using System.Globalization;
using System.Text;

namespace GlcmMae.Trainer.Registry.ModelCards;

/// <summary>Renders a <see cref="ModelCard"/> as Markdown (<c>card.md</c>, and what <c>glcmmae models show</c> prints).</summary>
internal static class ModelCardMarkdown
{
    /// <summary>The card as Markdown.</summary>
    public static string Render(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        Line($"# Model card: {card.Name} {card.Version}");
        text.AppendLine();
        Line($"Exported {card.Created:yyyy-MM-dd HH:mm} UTC. Classes: {string.Join(", ", card.Labels)}.");
        text.AppendLine();
        text.AppendLine("## Intended use").AppendLine().AppendLine(card.IntendedUse).AppendLine();
        text.AppendLine("## Out of scope").AppendLine().AppendLine(card.OutOfScope).AppendLine();
        if (card.Scope is { } scope)
        {
            string Or(IReadOnlyList<string> values) => values.Count == 0 ? "any" : string.Join(", ", values);
            Line($"Serving refuses scans outside what the model was trained on: modality {Or(scope.Modalities)}; photometric interpretation {Or(scope.PhotometricInterpretations)}; {string.Join(" or ", scope.SamplesPerPixel)} sample(s) per pixel; {scope.MinBitsStored}-{scope.MaxBitsStored} bits stored; {scope.MinColumns}-{scope.MaxColumns} x {scope.MinRows}-{scope.MaxRows} pixels, from half to twice that (trained on {Or(scope.Formats)} files).");
            text.AppendLine();
        }


        text.AppendLine("## Training data").AppendLine();
        var data = card.Data;
        Line($"{data.Scans} scans in {data.Studies} studies{(data.Source is null ? string.Empty : $" from `{data.Source}`")}, added {Date(data.AddedFrom)} to {Date(data.AddedTo)}.");
        Line($"Modalities: {string.Join(", ", data.Modalities.Select(m => $"{m.Key} {m.Value}"))}.");
        text.AppendLine();
        text.AppendLine("| split | " + string.Join(" | ", card.Labels) + " |");
        text.AppendLine("|---|" + string.Concat(card.Labels.Select(_ => "---:|")));
        foreach (var (split, counts) in data.PerSplit)
        {
            text.AppendLine($"| {split} | " + string.Join(" | ", card.Labels.Select(l => counts.TryGetValue(l, out var n) ? n.ToString(CultureInfo.InvariantCulture) : "0")) + " |");
        }

        text.AppendLine();
        text.AppendLine("## Test figures").AppendLine();
        if (card.TestMetrics.Count == 0)
        {
            text.AppendLine("No test split: no test figures.");
        }
        else
        {
            text.AppendLine("| figure | value | 95% interval |").AppendLine("|---|---:|---|");
            foreach (var (name, figure) in card.TestMetrics)
            {
                var interval = figure is { Lower: { } lower, Upper: { } upper } ? string.Create(CultureInfo.InvariantCulture, $"{lower:F3} - {upper:F3}") : "not computed";
                Line($"| {name} | {figure.Estimate:F3} | {interval} |");
            }
        }

        if (card.ValidationBalancedAccuracy is { } validation)
        {
            text.AppendLine();
            Line($"Validation balanced accuracy of the selected epoch: {validation:F3}.");
        }

        if (card.Calibration.Count > 0)
        {
            text.AppendLine().AppendLine("## Calibration (test split)").AppendLine();
            text.AppendLine("| confidence | images | mean confidence | accuracy |").AppendLine("|---|---:|---:|---:|");
            foreach (var bin in card.Calibration)
            {
                Line($"| {bin.Lower:F2} - {bin.Upper:F2} | {bin.Count} | {bin.MeanConfidence:F3} | {bin.Accuracy:F3} |");
            }
        }

        if (card.Safety is { } safety)
        {
            text.AppendLine().AppendLine("## Trusting its answers (fitted on the validation split)").AppendLine();
            var t = safety.Calibration;
            Line($"- Calibration: probabilities are softmax(logits / {t.Temperature:F2}); on {safety.Scans} validation scans the expected calibration error went from {t.EceBefore:F3} to {t.EceAfter:F3} (negative log-likelihood {t.NllBefore:F3} to {t.NllAfter:F3}).");
            if (safety.Abstention is { } a)
            {
                Line($"- Abstention: a scan whose {a.Score} score is above {a.Threshold:G4} gets no label (scan-errors code Abstained); the threshold keeps {a.ValidationKeepRate:P1} of validation scans.");
            }

            if (safety.OperatingPoint is { } p)
            {
                Line($"- Decision: {p.PositiveLabel} is positive when its calibrated probability is at least {p.Threshold:F3} ({p.Rule}{(p.TargetSensitivity is { } target ? $", target sensitivity {target:F2}" : string.Empty)}); on validation, sensitivity {p.ValidationSensitivity:F3} and specificity {p.ValidationSpecificity:F3}.");
            }
        }

        text.AppendLine().AppendLine("## Publish decision").AppendLine();
        Line($"{(card.Decision.Promoted ? "Promoted" : "Not promoted")} ({card.Decision.Verdict}): {card.Decision.Reason}.");
        if (card.Decision.Comparison is { } c)
        {
            text.AppendLine();
            text.AppendLine("| | this version | serving version " + c.ChampionVersion + " | difference | " + (c.Level * 100).ToString("0", CultureInfo.InvariantCulture) + "% interval |");
            text.AppendLine("|---|---:|---:|---:|---|");
            Line($"| {c.Metric} on {c.Images} test scans ({c.Groups} studies) | {c.Candidate:F4} | {c.Champion:F4} | {c.Difference:+0.0000;-0.0000} | {c.Lower:+0.0000;-0.0000} to {c.Upper:+0.0000;-0.0000} |");
            text.AppendLine();
            Line($"Rule: promote when the interval's lower end is at least -{c.Tolerance:F4} (paired bootstrap over studies, {c.Resamples} resamples).");
        }

        text.AppendLine().AppendLine("## Known limitations").AppendLine();
        foreach (var limitation in card.Limitations)
        {
            text.AppendLine("- " + limitation);
        }

        text.AppendLine().AppendLine("## Lineage").AppendLine();
        var lineage = card.Lineage;
        Line($"- Scans, content hashes and splits: `{lineage.DataFile}` beside the model.");
        Line($"- Training fingerprint `{data.TrainingFingerprint ?? "none"}`; test fingerprint `{data.TestFingerprint ?? "none"}`.");
        Line($"- Architecture {lineage.Model ?? "unknown"}, started from {lineage.InitialisedFrom ?? "unknown"}, epoch {lineage.Epoch?.ToString(CultureInfo.InvariantCulture) ?? "?"}, seed {lineage.Seed?.ToString(CultureInfo.InvariantCulture) ?? "?"}.");
        Line($"- model.onnx SHA-256 `{lineage.OnnxSha256}`, opset {lineage.Opset}, preprocessing `{lineage.PreprocessingHash}`, ONNX parity max difference {lineage.ParityMaxDifference?.ToString("G3", CultureInfo.InvariantCulture) ?? "?"}.");
        return text.ToString();
    }

    private static string Date(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "?";
}
