using System.Text.Json;
using GlcmMae.Testing;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Finetuning;
using GlcmMae.Trainer.Reports;
using GlcmMae.Trainer.Synthesis;
using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Tests.Finetuning;

[Collection(TorchCollection.Name)]
public sealed class FinetuneRunnerTests
{
    [Fact]
    public async Task Pretrain_then_finetune_selects_on_validation_tests_once_and_evaluate_reproduces_the_test_figures()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        SynthDatasetWriter.Write(data, 10, 64, SynthFormat.Png, seed: 3);
        var pretrain = Path.Combine(temp.Path, "pretrain");
        await new PretrainRunner(NullPretrainObserver.Instance).RunAsync(
            new PretrainOptions { Data = data, Output = pretrain, Epochs = 1, Batch = 10, Workers = 2, Plots = false }, CancellationToken.None);
        var observer = new RecordingFinetuneObserver();
        var options = new FinetuneOptions
        {
            Data = data,
            Output = Path.Combine(temp.Path, "finetune"),
            Checkpoint = pretrain,
            Epochs = 3,
            Batch = 8,
            LearningRate = 1e-3,
            WarmupEpochs = 1,
            ValidationFraction = 0.2,
            TestFraction = 0.2,
            PositiveLabel = "malignant",
            BootstrapResamples = 50,
            Workers = 2,
        };

        var result = Assert.Single(await new FinetuneRunner(observer).RunAsync(options, CancellationToken.None));

        Assert.Equal(3, observer.Epochs.Count);
        Assert.Contains(observer.Messages, m => m.StartsWith("Encoder from", StringComparison.Ordinal));
        var selected = observer.Epochs.Last(e => e.Selected);
        Assert.Equal(selected.Epoch, result.SelectedEpoch);
        var state = ClassifierCheckpoint.Open(options.Output).State;
        Assert.Equal(["benign", "malignant", "normal"], state.Labels);
        Assert.Equal(selected.ValidationBalancedAccuracy, state.ValidationBalancedAccuracy);
        var splits = JsonSerializer.Deserialize<SplitsDocument>(await File.ReadAllTextAsync(Path.Combine(options.Output, FinetuneRunner.SplitsFile)), Checkpoint.JsonOptions)!;
        Assert.Equal(6, splits.Test.Count);
        Assert.Empty(splits.Test.Intersect(splits.Train).Concat(splits.Test.Intersect(splits.Validation)).Concat(splits.Train.Intersect(splits.Validation)));
        Assert.Equal(6, result.Test!.Count);
        var html = await File.ReadAllTextAsync(result.Report!);
        Assert.Contains("data:image/png;base64,", html, StringComparison.Ordinal);
        Assert.Contains("AUROC of malignant", html, StringComparison.Ordinal);
        // Figures only by default: no scan pixels in the report unless --report-images asks.
        Assert.False(File.Exists(Path.Combine(options.Output, "evaluation", "plots", "misclassified.png")));
        Assert.DoesNotContain("Misclassified images", html, StringComparison.Ordinal);
        Assert.Equal(3, (await File.ReadAllLinesAsync(Path.Combine(options.Output, FinetuneRunner.HistoryFile))).Length);

        var (summary, folder) = await ClassifierEvaluation.RunAsync(options.Output, null, DatasetSplit.Test, null, "malignant", 50, "cpu", reportImages: true, CancellationToken.None);

        Assert.Equal(result.Test.Accuracy, summary.Metrics.Accuracy);
        Assert.Equal(summary.Metrics.Accuracy < 1, File.Exists(Path.Combine(folder, "plots", "misclassified.png")));
        Assert.Equal(result.Test.ConfusionMatrix, summary.Metrics.ConfusionMatrix);
        Assert.True(File.Exists(Path.Combine(folder, EvaluationReport.HtmlFile)));
        var external = await ClassifierEvaluation.RunAsync(options.Output, data, DatasetSplit.Test, Path.Combine(temp.Path, "all"), null, 0, "cpu", reportImages: false, CancellationToken.None);
        Assert.Equal(30, external.Summary.Metrics.Count);
    }

    [Fact]
    public async Task K_fold_linear_probe_trains_one_model_per_fold_and_tests_every_scan_once()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        SynthDatasetWriter.Write(data, 6, 64, SynthFormat.Png, seed: 4);
        var options = new FinetuneOptions
        {
            Data = data,
            Output = Path.Combine(temp.Path, "cv"),
            Mode = FinetuneMode.LinearProbe,
            Epochs = 1,
            Batch = 8,
            Folds = 3,
            ValidationFraction = 0.2,
            BootstrapResamples = 0,
            Workers = 2,
        };

        var results = await new FinetuneRunner(new RecordingFinetuneObserver()).RunAsync(options, CancellationToken.None);

        Assert.Equal(3, results.Count);
        var tested = new List<string>();
        foreach (var result in results)
        {
            var splits = JsonSerializer.Deserialize<SplitsDocument>(await File.ReadAllTextAsync(Path.Combine(result.Folder, FinetuneRunner.SplitsFile)), Checkpoint.JsonOptions)!;
            tested.AddRange(splits.Test);
            Assert.Equal(FinetuneMode.LinearProbe, ClassifierCheckpoint.Open(result.Folder).State.Mode);
        }

        Assert.Equal(18, tested.Count);
        Assert.Equal(18, tested.Distinct().Count());
        var summary = CrossValidationSummary.From([.. results.Select(r => r.Test!)]);
        Assert.Equal(3, summary.Folds);
        Assert.InRange(summary.Figures["accuracy"].Mean, 0, 1);
    }

    [Fact]
    public async Task A_run_lost_after_an_epoch_continues_from_it_and_ends_as_an_uninterrupted_run()
    {
        // Bit-for-bit equality holds for a fixed thread count (as for pretraining's resume).
        var threads = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(1);
        try
        {
            using var temp = new TempFolder();
            var data = Path.Combine(temp.Path, "data");
            SynthDatasetWriter.Write(data, 6, 64, SynthFormat.Png, seed: 4);
            FinetuneOptions Options(string output) => new()
            {
                Data = data,
                Output = Path.Combine(temp.Path, output),
                Model = "tiny",
                Epochs = 4,
                Batch = 8,
                LearningRate = 1e-3,
                WarmupEpochs = 1,
                Report = false,
                Workers = 1,
                Seed = 9,
            };

            var whole = Assert.Single(await new FinetuneRunner(NullFinetuneObserver.Instance).RunAsync(Options("whole"), CancellationToken.None));
            await Assert.ThrowsAsync<OperationCanceledException>(() => new FinetuneRunner(new LostAfter(2)).RunAsync(Options("resumed"), CancellationToken.None));
            Assert.True(Directory.Exists(Path.Combine(temp.Path, "resumed", FinetuneResumePoint.FolderName)));
            var observer = new RecordingFinetuneObserver();
            var resumed = Assert.Single(await new FinetuneRunner(observer).RunAsync(Options("resumed"), CancellationToken.None));

            Assert.Contains(observer.Messages, m => m.StartsWith("Continuing fine-tuning after epoch 2", StringComparison.Ordinal));
            Assert.Equal([3, 4], observer.Epochs.Select(e => e.Epoch));
            Assert.Equal(
                await File.ReadAllLinesAsync(Path.Combine(temp.Path, "whole", FinetuneRunner.HistoryFile)).ContinueWith(t => t.Result.Select(Losses)),
                await File.ReadAllLinesAsync(Path.Combine(temp.Path, "resumed", FinetuneRunner.HistoryFile)).ContinueWith(t => t.Result.Select(Losses)));
            Assert.Equal(whole.SelectedEpoch, resumed.SelectedEpoch);
            Assert.Equal(whole.Test!.Accuracy, resumed.Test!.Accuracy);
            Assert.False(Directory.Exists(Path.Combine(temp.Path, "resumed", FinetuneResumePoint.FolderName)), "a completed run keeps its resume point");
        }
        finally
        {
            TorchSharp.torch.set_num_threads(threads);
        }
    }

    /// <summary>The figures of a history line, without its wall-clock time.</summary>
    private static (double TrainLoss, double ValidationLoss, double ValidationBalancedAccuracy) Losses(string line)
    {
        var e = JsonSerializer.Deserialize<FinetuneEpoch>(line, FinetuneRunner.MetricsJson)!;
        return (e.TrainLoss, e.ValidationLoss, e.ValidationBalancedAccuracy);
    }

    /// <summary>Loses the process (as a pre-empted job does) once the given epoch has completed.</summary>
    private sealed class LostAfter(int epoch) : IFinetuneObserver
    {
        public void Message(string text)
        {
        }

        public void EpochCompleted(int fold, FinetuneEpoch completed, int epochs)
        {
            if (completed.Epoch == epoch)
            {
                throw new OperationCanceledException("process lost");
            }
        }
    }

    private sealed class RecordingFinetuneObserver : IFinetuneObserver
    {
        public List<string> Messages { get; } = [];

        public List<FinetuneEpoch> Epochs { get; } = [];

        public void Message(string text) => Messages.Add(text);

        public void EpochCompleted(int fold, FinetuneEpoch epoch, int epochs) => Epochs.Add(epoch);
    }
}
