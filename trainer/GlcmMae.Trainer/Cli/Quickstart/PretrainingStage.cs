using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Synthesis;
using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Cli.Quickstart;

/// <summary>Quickstart's pretraining demo: a small <c>glcmmae synth</c> ultrasound dataset, stage 1 (MSE) then stage 2 (GLCM-MAE) of the tiny model.</summary>
internal static class PretrainingStage
{
    /// <summary>Writes the dataset and runs both stages from scratch under <paramref name="folder"/>; reports their losses and plots.</summary>
    public static async Task<IReadOnlyList<PretrainingStageResult>> RunAsync(string folder, QuickstartScale scale, IPretrainObserver observer, CancellationToken cancellationToken)
    {
        // A demo starts over each time (data too: an earlier run may have used another scale); real runs continue from
        // their checkpoints instead.
        var data = Path.Combine(folder, "synth");
        var runs = Path.Combine(folder, "runs");
        foreach (var stale in new[] { data, runs }.Where(Directory.Exists))
        {
            Directory.Delete(stale, recursive: true);
        }

        SynthDatasetWriter.Write(data, scale.PerClass, QuickstartScale.ImageSize, SynthFormat.Png, seed: 1, lesionScale: QuickstartScale.LesionScale, cancellationToken: cancellationToken);

        var stage1 = new PretrainOptions
        {
            Data = data,
            Output = Path.Combine(runs, "pretrain-mse"),
            Stage = PretrainStage.Mse,
            Epochs = scale.MseEpochs,
            Batch = scale.PretrainBatch,
            LearningRate = 1e-3,
            Seed = 1,
            HeldOut = QuickstartScale.Split,
        };
        var stage2 = stage1 with { Output = Path.Combine(runs, "pretrain-glcm"), Stage = PretrainStage.Glcm, Resume = stage1.Output, Epochs = scale.GlcmEpochs, LearningRate = 5e-4 };
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
