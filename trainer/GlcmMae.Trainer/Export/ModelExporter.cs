using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using GlcmMae.Shared.Models;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Finetuning;
using GlcmMae.Trainer.Reports;
using GlcmMae.Trainer.Training;
using Google.Protobuf;
using TorchSharp;

namespace GlcmMae.Trainer.Export;

/// <summary>Exports a fine-tuned classifier to ONNX, proves parity on random and real scans, and writes model.onnx + manifest.json.</summary>
internal static class ModelExporter
{
    /// <summary>Exports <paramref name="modelPath"/> (a fine-tuning run or its model folder) into <paramref name="output"/>.</summary>
    /// <remarks>
    /// With the run's lineage at hand, the exported graph then classifies the validation scans through the serving code
    /// and the manifest gets the <see cref="Shared.Safety.SafetyProfile"/> fitted to them (<paramref name="safety"/>).
    /// </remarks>
    public static async Task<ExportResult> ExportAsync(string modelPath, string output, string name, Safety.SafetyOptions? safety, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var checkpoint = ClassifierCheckpoint.Open(modelPath);
        var state = checkpoint.State;
        var spec = checkpoint.Spec;
        var runFolder = Path.GetDirectoryName(Path.GetFullPath(checkpoint.Path))!;
        using var model = checkpoint.Load();
        var created = DateTimeOffset.UtcNow;
        var metadata = new Dictionary<string, string>
        {
            ["name"] = name,
            ["labels"] = JsonSerializer.Serialize(state.Labels),
            ["preprocessing"] = spec.ToJson(),
            ["preprocessing_hash"] = spec.ComputeHash(),
            ["created"] = created.ToString("O", CultureInfo.InvariantCulture),
        };
        var onnx = VitOnnxExporter.Export(model, metadata);
        var bytes = onnx.ToByteArray();
        var exportSeconds = clock.Elapsed.TotalSeconds;

        var inputs = new List<(string, torch.Tensor)>();
        var c = state.Model.Channels;
        var size = state.Model.ImageSize;
        var generator = new torch.Generator(17);
        inputs.Add(("random, batch 1", torch.rand([1, c, size, size], generator: generator)));
        inputs.Add(("random, batch 8", torch.rand([8, c, size, size], generator: generator)));
        var splits = await SplitsDocument.ReadAsync(runFolder, cancellationToken).ConfigureAwait(false);
        var scans = await RealScansAsync(splits, spec, cancellationToken).ConfigureAwait(false);
        if (scans is not null)
        {
            inputs.Add(("scans, batch 1", scans.narrow(0, 0, 1)));
            inputs.Add(($"scans, batch {scans.shape[0]}", scans));
        }

        ParityResult parity;
        try
        {
            parity = OnnxParity.Check(model, bytes, inputs);
        }
        finally
        {
            foreach (var (_, tensor) in inputs)
            {
                tensor.Dispose();
            }
        }

        if (!parity.Passed)
        {
            throw new ExportException("ParityFailed", string.Create(CultureInfo.InvariantCulture, $"ONNX Runtime and TorchSharp disagree (max probability difference {parity.MaxAbsDifference:G3}, tolerance {parity.Tolerance:G3}); nothing was written. Cases: {string.Join("; ", parity.Cases)}"));
        }

        // The version names the content (a hash of the checked graph), and is then written into the model's own metadata;
        // the manifest's SHA-256 is of the final file.
        var version = created.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..8];
        onnx.MetadataProps.Add(new Onnx.StringStringEntryProto { Key = "version", Value = version });
        bytes = onnx.ToByteArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Directory.CreateDirectory(output);
        var onnxPath = Path.Combine(output, ModelRegistry.ModelFile);
        await File.WriteAllBytesAsync(onnxPath, bytes, cancellationToken).ConfigureAwait(false);
        // The run's lineage (null for a run from before lineage) is read once: the test fingerprint, the scope and the publish gate use it.
        var lineage = await DatasetSnapshot.ReadAsync(runFolder, cancellationToken).ConfigureAwait(false);
        var (metrics, summary, report) = await ReadEvaluationAsync(runFolder, state, cancellationToken).ConfigureAwait(false);
        // The test scans' content and labels, as the lineage records them.
        var evaluationSet = summary is null || lineage is null ? null : DatasetSnapshot.Fingerprint(lineage.Where(e => e.Split == SnapshotUse.Test));
        // What the model may be asked about: the headers of the scans it was trained on.
        var scope = lineage is null ? null : DatasetSnapshot.Scope(lineage.Where(e => e.Split == SnapshotUse.Train));
        var manifest = new ModelManifest
        {
            Name = name,
            Version = version,
            Created = created,
            Labels = state.Labels,
            InputName = VitOnnxExporter.InputName,
            InputShape = [-1, c, size, size],
            OutputNames = VitOnnxExporter.OutputNames,
            Preprocessing = spec.ToJsonObject(),
            PreprocessingHash = spec.ComputeHash(),
            Opset = VitOnnxExporter.Opset,
            Sha256 = sha,
            Training = JsonSerializer.SerializeToNode(state with { PreprocessingSpec = "(see preprocessing)" }, Checkpoint.JsonOptions)!.AsObject(),
            DatasetFingerprint = state.DatasetFingerprint,
            EvaluationSetFingerprint = evaluationSet,
            Metrics = metrics,
            Scope = scope,
            Parity = JsonSerializer.SerializeToNode(new { parity.Tolerance, parity.MaxAbsDifference, parity.Passed, parity.Cases }, Checkpoint.JsonOptions)!.AsObject(),
        };
        var (profile, safetyNote) = await Safety.SafetyCalibration.FitAsync(manifest, onnxPath, lineage, splits?.Root, safety ?? new Safety.SafetyOptions(), report, cancellationToken).ConfigureAwait(false);
        manifest = manifest with { Safety = profile };
        await File.WriteAllBytesAsync(Path.Combine(output, ModelRegistry.ManifestFile), manifest.ToJsonBytes(), cancellationToken).ConfigureAwait(false);
        return new ExportResult(output, onnxPath, manifest, parity, report, exportSeconds, runFolder) { Lineage = lineage, DatasetRoot = splits?.Root, Evaluation = summary, SafetyNote = safetyNote };
    }

    /// <summary>Up to 8 preprocessed scans of the run's test (else validation) split, or null when the data is not at hand.</summary>
    private static async Task<torch.Tensor?> RealScansAsync(SplitsDocument? splits, Shared.Preprocessing.PreprocessingSpec spec, CancellationToken cancellationToken)
    {
        if (splits is null)
        {
            return null;
        }

        var chosen = (splits.Test.Count > 0 ? splits.Test : splits.Validation).Select(s => s.Split('#')[0]).Distinct().Take(8)
            .Select(s => Path.Combine(splits.Root, s)).Where(File.Exists).ToArray();
        if (chosen.Length == 0)
        {
            return null;
        }

        return await new ScanTensorLoader(spec).LoadBatchAsync(chosen, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(Dictionary<string, IReadOnlyDictionary<string, double>> Metrics, EvaluationSummary? Summary, string? Report)> ReadEvaluationAsync(
        string runFolder, ClassifierState state, CancellationToken cancellationToken)
    {
        var metrics = new Dictionary<string, IReadOnlyDictionary<string, double>>
        {
            ["validation"] = new Dictionary<string, double> { ["balancedAccuracy"] = state.ValidationBalancedAccuracy, ["loss"] = state.ValidationLoss },
        };
        var evaluation = Path.Combine(runFolder, "evaluation");
        var metricsFile = Path.Combine(evaluation, EvaluationReport.MetricsFile);
        EvaluationSummary? summary = null;
        if (File.Exists(metricsFile))
        {
            summary = JsonSerializer.Deserialize<EvaluationSummary>(await File.ReadAllTextAsync(metricsFile, cancellationToken).ConfigureAwait(false), Checkpoint.JsonOptions)!;
            var m = summary.Metrics;
            var test = new Dictionary<string, double> { ["accuracy"] = m.Accuracy, ["balancedAccuracy"] = m.BalancedAccuracy, ["expectedCalibrationError"] = m.ExpectedCalibrationError, ["count"] = m.Count };
            if (m.MacroAuroc is { } auroc)
            {
                test["macroAuroc"] = auroc;
            }

            metrics["test"] = test;
        }

        return (metrics, summary, Directory.Exists(evaluation) ? evaluation : null);
    }
}
