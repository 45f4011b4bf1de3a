using System.Text.Json;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Reports;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using TorchSharp;

namespace GlcmMae.Trainer.Finetuning;

/// <summary>Evaluates a saved classifier on a split of its fine-tuning run or on another labelled dataset.</summary>
internal static class ClassifierEvaluation
{
    /// <summary>Predicts, computes figures and writes the report; returns the summary.</summary>
    /// <param name="modelPath">Classifier folder or fine-tuning run folder.</param>
    /// <param name="data">Another labelled dataset (every labelled scan is evaluated), or null for the run's own split.</param>
    /// <param name="split">The run's split to evaluate when <paramref name="data"/> is null.</param>
    /// <param name="output">Report folder, or null for <c>evaluation-{split}</c> (or <c>evaluation-external</c>) beside the model.</param>
    /// <param name="positiveLabel">Class for binary figures.</param>
    /// <param name="resamples">Bootstrap resamples.</param>
    /// <param name="device">Torch device name.</param>
    /// <param name="reportImages">Draw the misclassified scans into the report.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public static async Task<(EvaluationSummary Summary, string Folder)> RunAsync(
        string modelPath, string? data, DatasetSplit split, string? output, string? positiveLabel, int resamples, string device, bool reportImages, CancellationToken cancellationToken)
    {
        var checkpoint = ClassifierCheckpoint.Open(modelPath);
        var runFolder = Path.GetDirectoryName(Path.GetFullPath(checkpoint.Path))!;
        var spec = checkpoint.Spec;
        var labels = checkpoint.State.Labels;
        var workers = Environment.ProcessorCount;
        LabelledImageSet set;
        string evaluatedOn;
        if (data is not null)
        {
            var folder = await DatasetSource.ResolveAsync(data, null, null, cancellationToken).ConfigureAwait(false);
            var manifest = DatasetManifest.Load(folder);
            var root = Directory.Exists(folder) ? Path.GetFullPath(folder) : Path.GetDirectoryName(Path.GetFullPath(folder))!;
            set = await LabelledImageSet.LoadAsync(manifest.Scans, root, spec, labels, false, SampleGrouping.File, workers, cancellationToken).ConfigureAwait(false);
            evaluatedOn = "dataset " + data;
            output ??= Path.Combine(runFolder, "evaluation-external");
        }
        else
        {
            var splits = await SplitsDocument.ReadAsync(runFolder, cancellationToken).ConfigureAwait(false)
                ?? throw new TrainingException("SplitsNotFound", $"{Path.Combine(runFolder, SplitsDocument.FileName)} does not exist; give --data to evaluate this model on a labelled dataset.");
            var wanted = (split switch { DatasetSplit.Train => splits.Train, DatasetSplit.Validation => splits.Validation, _ => splits.Test }).ToHashSet(StringComparer.Ordinal);
            if (wanted.Count == 0)
            {
                throw new TrainingException("EmptySplit", $"The run's {split} split is empty.");
            }

            var files = wanted.Select(s => s.Split('#')[0]).ToHashSet(StringComparer.Ordinal);
            var manifest = DatasetManifest.Load(splits.Root);
            var scans = manifest.Scans.Where(s => files.Contains(Path.GetRelativePath(splits.Root, s.Path).Replace('\\', '/'))).ToArray();
            var multiFrame = wanted.Any(s => s.Contains('#', StringComparison.Ordinal));
            var loaded = await LabelledImageSet.LoadAsync(scans, splits.Root, spec, labels, multiFrame, SampleGrouping.File, workers, cancellationToken).ConfigureAwait(false);
            set = loaded.Filter(s => wanted.Contains(s.Source));
            if (set.Samples.Count != wanted.Count)
            {
                throw new TrainingException("SplitChanged", $"The run's {split} split lists {wanted.Count} images but {set.Samples.Count} were found under {splits.Root}; the dataset changed since fine-tuning.");
            }

            evaluatedOn = $"{split.ToString().ToLowerInvariant()} split";
            output ??= Path.Combine(runFolder, $"evaluation-{split.ToString().ToLowerInvariant()}");
        }

        using var model = checkpoint.Load();
        var torchDevice = TorchEnvironment.ResolveDevice(device);
        model.to(torchDevice);
        var indices = Enumerable.Range(0, set.Samples.Count).ToArray();
        var (predictions, _) = ClassifierPredictor.Predict(model, labels, set.Samples, indices, spec.Channels, spec.CropSize, 64, torchDevice);
        var historyFile = Path.Combine(runFolder, FinetuneRunner.HistoryFile);
        var history = File.Exists(historyFile)
            ? (await File.ReadAllLinesAsync(historyFile, cancellationToken).ConfigureAwait(false))
                .Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<FinetuneEpoch>(l, Checkpoint.JsonOptions)!).ToArray()
            : [];
        var summary = EvaluationReport.Write(
            output, $"GLCM-MAE classifier: {evaluatedOn}", checkpoint.Path, evaluatedOn, predictions, reportImages ? [.. set.Samples.Select(s => s.Data)] : [], spec.CropSize, positiveLabel, resamples, history);
        return (summary, output);
    }
}
