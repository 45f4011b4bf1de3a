using System.Globalization;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Safety;
using GlcmMae.Shared.Storage;
using GlcmMae.Trainer.Data;
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
    public static async Task<(SafetyProfile? Profile, string Note)> FitAsync(
        ModelManifest manifest, string onnxPath, IReadOnlyList<SnapshotEntry>? lineage, string? datasetRoot, SafetyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        if (lineage is null || datasetRoot is null)
        {
            return (null, "not calibrated: the run recorded no lineage (data.jsonl) to find its validation scans; serving gives uncalibrated probabilities and never abstains");
        }

        var validation = lineage.Where(e => e.Split == SnapshotUse.Validation).ToList();
        var folder = Directory.CreateTempSubdirectory("glcmmae-safety-").FullName;
        try
        {
            var registry = new ModelRegistry(new LocalFolderBlobStore(folder));
            await registry.PublishAsync(manifest with { Safety = null }, onnxPath, null, null, cancellationToken).ConfigureAwait(false);
            var serving = Options.Create(new ServingOptions { ModelName = manifest.Name, PinnedVersion = manifest.Version, ExecutionProvider = options.ExecutionProvider, MicroBatching = false });
            var host = new ModelHost(registry, serving, NullLogger<ModelHost>.Instance);
            await using (host.ConfigureAwait(false))
            {
                // The pipeline logs blob names; these scans get neutral names, and its log goes nowhere.
                var pipeline = new ScanPipeline(host, serving, NullLogger<ScanPipeline>.Instance);
                var (truth, logits, energies) = (new List<int>(), new List<double[]>(), new List<double>());
                for (var i = 0; i < validation.Count; i++)
                {
                    var path = Path.Combine(datasetRoot, validation[i].Path);
                    var label = manifest.Labels.ToList().IndexOf(validation[i].Label);
                    if (label < 0 || !File.Exists(path))
                    {
                        continue;
                    }

                    var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
                    var outcome = await pipeline.ProcessAsync(ScanInput.FromBytes("safety-fit", string.Create(CultureInfo.InvariantCulture, $"validation-{i}"), bytes), cancellationToken).ConfigureAwait(false);
                    if (outcome.Result is not { } result)
                    {
                        continue;
                    }

                    truth.Add(label);
                    // Uncalibrated probabilities (the manifest has no profile yet): their logarithms are the logits up
                    // to a constant per scan, which temperature scaling ignores.
                    logits.Add([.. manifest.Labels.Select(l => Math.Log(Math.Max(result.Prediction.Probabilities[l], 1e-12)))]);
                    energies.Add(result.Assessment is { OodScoreKind: nameof(OodScoreKind.Energy) } a ? a.OodScore : double.NaN);
                }

                if (truth.Count < options.MinimumScans)
                {
                    return (null, string.Create(CultureInfo.InvariantCulture,
                        $"not calibrated: serving classified {truth.Count} validation scans, fewer than the {options.MinimumScans} a fit needs; serving gives uncalibrated probabilities and never abstains"));
                }

                var profile = SafetyFitter.Fit(manifest.Labels, [.. truth], [.. logits], [.. energies], options);
                return (profile, Describe(profile));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
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
