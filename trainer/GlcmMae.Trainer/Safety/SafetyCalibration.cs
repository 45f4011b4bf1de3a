using System.Globalization;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Safety;
using GlcmMae.Shared.Storage;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Serving;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GlcmMae.Trainer.Safety;

/// <summary>
/// Classifies a run's validation scans with the exported model through the serving code (the same
/// <see cref="ScanPipeline"/>: decode, the manifest's preprocessing, ONNX Runtime, the energy score) and fits the
/// model's <see cref="SafetyProfile"/> to what serving computed, so that the thresholds are on serving's own numbers.
/// </summary>
internal static class SafetyCalibration
{
    /// <summary>The profile, or null with the reason it could not be fitted (no lineage, too few validation scans).</summary>
    /// <param name="manifest">The exported model's manifest (any profile it has is ignored).</param>
    /// <param name="onnxPath">The exported graph.</param>
    /// <param name="lineage">The run's data.jsonl, whose validation split is classified.</param>
    /// <param name="datasetRoot">The folder the lineage's paths are relative to.</param>
    /// <param name="options">Keep rate, score, operating point.</param>
    /// <param name="reportFolder">Where to draw the validation reliability diagrams (before and after) and the ROC with the operating point; null: none.</param>
    /// <param name="cancellationToken">Cancels the pass.</param>
    public static async Task<(SafetyProfile? Profile, string Note)> FitAsync(
        ModelManifest manifest, string onnxPath, IReadOnlyList<SnapshotEntry>? lineage, string? datasetRoot, SafetyOptions options, string? reportFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        if (lineage is null || datasetRoot is null)
        {
            return (null, "not calibrated: the run recorded no lineage (data.jsonl) to find its validation scans; serving gives uncalibrated probabilities and never abstains");
        }

        var validation = lineage.Where(e => e.Split == SnapshotUse.Validation).ToList();
        // The training scans' texture statistics first, from the manifest's preprocessing (serving's own code), so
        // that the validation pass below reports each scan's texture distance as serving will compute it.
        var texture = await FitTextureAsync(manifest, lineage.Where(e => e.Split == SnapshotUse.Train), datasetRoot, options.MinimumScans, cancellationToken).ConfigureAwait(false);
        var probe = texture is null ? null : new SafetyProfile { Scans = 0, Calibration = new TemperatureCalibration(1, 0, 0, 0, 0), Texture = texture };
        var served = await ServedCopy.StartAsync(manifest with { Safety = probe }, onnxPath, o => o.ExecutionProvider = options.ExecutionProvider, cancellationToken).ConfigureAwait(false);
        await using (served.ConfigureAwait(false))
        {
            var (truth, logits, energies, distances) = (new List<int>(), new List<double[]>(), new List<double>(), new List<double>());
            for (var i = 0; i < validation.Count; i++)
            {
                var path = Path.Combine(datasetRoot, validation[i].Path);
                var label = manifest.Labels.ToList().IndexOf(validation[i].Label);
                if (label < 0 || !File.Exists(path))
                {
                    continue;
                }

                var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
                var outcome = await served.Pipeline.ProcessAsync(ScanInput.FromBytes("safety-fit", string.Create(CultureInfo.InvariantCulture, $"validation-{i}"), bytes), cancellationToken).ConfigureAwait(false);
                if (outcome.Result is not { } result)
                {
                    continue;
                }

                truth.Add(label);
                // Uncalibrated probabilities (the manifest has no profile yet): their logarithms are the logits up
                // to a constant per scan, which temperature scaling ignores.
                logits.Add([.. manifest.Labels.Select(l => Math.Log(Math.Max(result.Prediction.Probabilities[l], 1e-12)))]);
                var scores = result.Assessment?.Scores;
                energies.Add(scores?.TryGetValue(nameof(OodScoreKind.Energy), out var energy) == true ? energy : double.NaN);
                distances.Add(scores?.TryGetValue(nameof(OodScoreKind.TextureDistance), out var distance) == true ? distance : double.NaN);
            }

            if (truth.Count < options.MinimumScans)
            {
                return (null, string.Create(CultureInfo.InvariantCulture,
                    $"not calibrated: serving classified {truth.Count} validation scans, fewer than the {options.MinimumScans} a fit needs; serving gives uncalibrated probabilities and never abstains"));
            }

            var profile = SafetyFitter.Fit(manifest.Labels, [.. truth], [.. logits], [.. energies], options, texture, [.. distances]);
            if (reportFolder is not null)
            {
                Draw(reportFolder, manifest.Labels, [.. truth], [.. logits], profile);
            }

            return (profile, Describe(profile));
        }
    }

    /// <summary>The texture statistics of the training scans as the model's preprocessing presents them; null with fewer than <paramref name="minimum"/> readable scans.</summary>
    private static async Task<TextureReference?> FitTextureAsync(ModelManifest manifest, IEnumerable<SnapshotEntry> train, string datasetRoot, int minimum, CancellationToken cancellationToken)
    {
        var preprocessor = new Shared.Preprocessing.Preprocessor(manifest.ReadPreprocessing());
        var signatures = new List<double[]>();
        foreach (var entry in train)
        {
            var path = Path.Combine(datasetRoot, entry.Path);
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                var document = Shared.Imaging.ScanDocument.Open(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
                var image = preprocessor.Run(preprocessor.Decode(document, preprocessor.SelectFrame(document.Metadata.Frames)));
                signatures.Add(TextureSignature.Compute(image.Data, image.Height, image.Width));
            }
            catch (Shared.Imaging.ImagingException)
            {
                // A training scan serving could not read either: it has no texture to describe.
            }
        }

        return signatures.Count >= minimum ? TextureReference.Fit(signatures) : null;
    }

    /// <summary>File names of the drawings in the report folder.</summary>
    public static readonly (string Before, string After, string Roc) Drawings = ("validation-reliability-uncalibrated.png", "validation-reliability-calibrated.png", "validation-roc-operating-point.png");

    private static void Draw(string folder, IReadOnlyList<string> labels, int[] truth, double[][] logits, SafetyProfile profile)
    {
        Directory.CreateDirectory(folder);
        var before = new Evaluation.Predictions(labels, truth, [.. logits.Select(l => SafetyAssessor.Softmax(l, 1))]);
        var after = new Evaluation.Predictions(labels, truth, [.. logits.Select(l => SafetyAssessor.Softmax(l, profile.Calibration.Temperature))]);
        var afterMetrics = Evaluation.ClassificationMetrics.Compute(after);
        Reports.EvaluationPlots.Reliability(Path.Combine(folder, Drawings.Before), Evaluation.ClassificationMetrics.Compute(before));
        Reports.EvaluationPlots.Reliability(Path.Combine(folder, Drawings.After), afterMetrics);
        var point = profile.OperatingPoint is { } p ? (p.PositiveLabel, 1 - p.ValidationSpecificity, p.ValidationSensitivity) : ((string, double, double)?)null;
        Reports.EvaluationPlots.Roc(Path.Combine(folder, Drawings.Roc), after, afterMetrics, point);
    }

    /// <summary>One line for the console and the model card.</summary>
    public static string Describe(SafetyProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var c = profile.Calibration;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"calibrated on {profile.Scans} validation scans: temperature {c.Temperature:F2}, ECE {c.EceBefore:F3} -> {c.EceAfter:F3}, NLL {c.NllBefore:F3} -> {c.NllAfter:F3}");
        if (profile.Abstention is { } a)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"; abstains above {a.Score} {a.Threshold:G4} (keeps {a.ValidationKeepRate:P1} of validation)");
        }

        if (profile.OperatingPoint is { } p)
        {
            line += string.Create(CultureInfo.InvariantCulture,
                $"; {p.PositiveLabel} when its probability >= {p.Threshold:F3} ({p.Rule}{(p.TargetSensitivity is { } t ? $" >= {t:F2}" : string.Empty)}: validation sensitivity {p.ValidationSensitivity:F3}, specificity {p.ValidationSpecificity:F3})");
        }

        return line;
    }
}
