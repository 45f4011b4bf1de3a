using GlcmMae.Testing;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class PretrainRunnerTests
{
    [Fact]
    public async Task Tiny_model_pretrains_on_generated_textures_and_resumes_to_identical_next_step_losses()
    {
        // Bit-exact resumption holds for a fixed thread count; MKL and OpenMP may otherwise shrink their teams under load
        // and sum in another order, so this test pins libtorch to one thread.
        var threads = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(1);
        try
        {
            await PretrainAndResumeAsync();
        }
        finally
        {
            TorchSharp.torch.set_num_threads(threads);
        }
    }

    private static async Task PretrainAndResumeAsync()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        SyntheticTextures.WritePngs(data, 16, 72, seed: 5);
        var options = new PretrainOptions
        {
            Data = data,
            Output = Path.Combine(temp.Path, "run"),
            Stage = PretrainStage.Glcm,
            Epochs = 4,
            Batch = 8,
            LearningRate = 2e-3,
            WarmupEpochs = 1,
            Seed = 7,
            LogEvery = 1,
            Workers = 2,
            Plots = true,
        };

        var full = new RecordingObserver();
        var result = await new PretrainRunner(full).RunAsync(options, CancellationToken.None);

        Assert.Equal(8, result.Steps);
        var losses = full.Steps.Select(s => s.Loss).ToArray();
        Assert.True(losses[^2..].Average() < losses[..2].Average(), $"loss should fall: {string.Join(", ", losses)}");
        Assert.All(full.Steps, s => Assert.False(double.IsNaN(s.Glcm) || double.IsNaN(s.Ssim) || double.IsNaN(s.Mse)));
        Assert.True(full.Steps[^1].Glcm < full.Steps[0].Glcm, "the GLCM term should fall");
        Assert.All(result.Plots, p => Assert.True(new FileInfo(p).Length > 1000, p));
        // The same samples reconstructed after every epoch, so the run can be watched: four epochs, four pictures, not all alike.
        var overTime = Directory.GetFiles(Path.Combine(options.Output, "reconstructions"), "epoch-*.png").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["epoch-0001.png", "epoch-0002.png", "epoch-0003.png", "epoch-0004.png"], overTime.Select(Path.GetFileName));
        Assert.NotEqual(File.ReadAllBytes(overTime[0]), File.ReadAllBytes(overTime[^1]));
        // Every logged step records how hard each enabled term pushes the decoder output; the feature term is off.
        Assert.All(full.Steps, s => Assert.True(
            s.Gradients is { Mse: > 0, Glcm: > 0, Ssim: > 0, Features: null } g && double.IsFinite(g.Mse!.Value) && double.IsFinite(g.Glcm!.Value) && double.IsFinite(g.Ssim!.Value),
            $"step {s.Step}: {s.Gradients}"));
        Assert.Equal(3, Checkpoint.List(options.Output).Count);

        // Simulate a crash after epoch 2: drop the later checkpoints and run the same command again.
        foreach (var later in Checkpoint.List(options.Output).Where(c => c.State.Epoch > 2))
        {
            Directory.Delete(later.Path, recursive: true);
        }

        var resumed = new RecordingObserver();
        await new PretrainRunner(resumed).RunAsync(options with { Plots = false }, CancellationToken.None);

        Assert.Equal(4, resumed.Steps[0].Step);
        Assert.Equal(full.Steps.Skip(4).Select(s => s.Loss), resumed.Steps.Select(s => s.Loss));
        Assert.Equal(full.Steps.Skip(4).Select(s => s.Glcm), resumed.Steps.Select(s => s.Glcm));
    }

    [Fact]
    public async Task Stage_two_starts_from_stage_one_weights_with_a_fresh_schedule()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        SyntheticTextures.WritePngs(data, 8, 72, seed: 6);
        var stage1 = new PretrainOptions { Data = data, Output = Path.Combine(temp.Path, "mse"), Epochs = 1, Batch = 4, Plots = false };
        await new PretrainRunner(new RecordingObserver()).RunAsync(stage1, CancellationToken.None);

        var observer = new RecordingObserver();
        var stage2 = stage1 with { Output = Path.Combine(temp.Path, "glcm"), Stage = PretrainStage.Glcm, Resume = stage1.Output, MaxSteps = 1 };
        var measured = new System.Collections.Concurrent.ConcurrentBag<(string Term, string Stage, double Value)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "glcmmae.training.loss")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var all = tags.ToArray();
            measured.Add(((string)all.Single(t => t.Key == "term").Value!, (string)all.Single(t => t.Key == "stage").Value!, value));
        });
        listener.Start();
        var result = await new PretrainRunner(observer).RunAsync(stage2, CancellationToken.None);
        listener.Dispose();

        // The step's losses also go to the GlcmMae meter (and so to Azure Monitor from the trainer job), by term.
        Assert.Contains(measured, m => m.Term == "glcm" && m.Stage == "glcm" && m.Value == observer.Steps[0].Glcm);
        Assert.Contains(measured, m => m.Term == "total" && m.Stage == "glcm" && m.Value == observer.Steps[0].Loss);

        Assert.Equal(1, result.Steps);
        Assert.Equal(0, observer.Steps[0].Step);
        Assert.Contains(Path.Combine(temp.Path, "mse"), observer.Plan!.ResumedFrom, StringComparison.Ordinal);
        Assert.Equal(Checkpoint.Latest(stage1.Output)!.State.DataRange, Checkpoint.Latest(stage2.Output)?.State.DataRange ?? Checkpoint.Open(stage1.Output).State.DataRange);
        Assert.False(double.IsNaN(observer.Steps[0].Glcm));
    }

    private sealed class RecordingObserver : IPretrainObserver
    {
        public List<StepMetrics> Steps { get; } = [];

        public PretrainPlan? Plan { get; private set; }

        public void RunStarted(PretrainPlan plan) => Plan = plan;

        public void EpochStarted(int epoch, int epochs, int steps)
        {
        }

        public void StepCompleted(StepMetrics metrics) => Steps.Add(metrics);

        public void EpochCompleted(EpochMetrics metrics)
        {
        }

        public void Message(string text)
        {
        }
    }
}
