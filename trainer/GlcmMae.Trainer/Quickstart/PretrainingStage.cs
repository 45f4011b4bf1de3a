using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Synthesis;
using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Quickstart;

/// <summary>Quickstart's pretraining demo: a small <c>glcmmae synth</c> ultrasound dataset, stage 1 (MSE) then stage 2 (GLCM-MAE) of the tiny model.</summary>
internal static class PretrainingStage
{
    /// <summary>Runs both stages from scratch under <paramref name="folder"/> and reports their losses and plots.</summary>
    public static async Task<IReadOnlyList<PretrainingStageResult>> RunAsync(string folder, IPretrainObserver observer, CancellationToken cancellationToken)
    {
        var data = Path.Combine(folder, "synth");
        if (!File.Exists(Path.Combine(data, DatasetManifest.CsvFileName)))
        {
            SynthDatasetWriter.Write(data, perClass: 16, size: 96, SynthFormat.Png, seed: 1, cancellationToken: cancellationToken);
        }

        var runs = Path.Combine(folder, "runs");
        if (Directory.Exists(runs))
        {
            // A demo starts over each time; real runs continue from their checkpoints instead.
            Directory.Delete(runs, recursive: true);
        }

        var stage1 = new PretrainOptions
        {
            Data = data,
            Output = Path.Combine(runs, "pretrain-mse"),
            Stage = PretrainStage.Mse,
            Epochs = 3,
            Batch = 16,
            LearningRate = 1e-3,
            Seed = 1,
        };
        var stage2 = stage1 with { Output = Path.Combine(runs, "pretrain-glcm"), Stage = PretrainStage.Glcm, Resume = stage1.Output, Epochs = 3, LearningRate = 5e-4 };
        var results = new List<PretrainingStageResult>();
        foreach (var options in new[] { stage1, stage2 })
        {
            var recorder = new LossRecorder(observer);
            var result = await new PretrainRunner(recorder).RunAsync(options, cancellationToken).ConfigureAwait(false);
            results.Add(new PretrainingStageResult(options.Stage.ToString().ToLowerInvariant(), result.Steps, recorder.First, recorder.Last, result.Checkpoint, result.Plots));
        }

        return results;
    }

    private sealed class LossRecorder(IPretrainObserver inner) : IPretrainObserver
    {
        public double First { get; private set; } = double.NaN;

        public double Last { get; private set; } = double.NaN;

        public void RunStarted(PretrainPlan plan) => inner.RunStarted(plan);

        public void EpochStarted(int epoch, int epochs, int steps) => inner.EpochStarted(epoch, epochs, steps);

        public void StepCompleted(StepMetrics metrics)
        {
            if (double.IsNaN(First))
            {
                First = metrics.Loss;
            }

            Last = metrics.Loss;
            inner.StepCompleted(metrics);
        }

        public void EpochCompleted(EpochMetrics metrics) => inner.EpochCompleted(metrics);

        public void Message(string text) => inner.Message(text);
    }
}

/// <summary>One pretraining stage of the quickstart.</summary>
internal sealed record PretrainingStageResult(string Stage, long Steps, double FirstLoss, double LastLoss, string? Checkpoint, IReadOnlyList<string> Plots);
