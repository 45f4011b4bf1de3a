using GlcmMae.Testing;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Finetuning;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using TorchSharp;

namespace GlcmMae.Trainer.Tests.Torch;

/// <summary>
/// Training under the worst garbage-collector timing: a thread forces collections and runs finalizers back to back
/// while tensors are added, short pretraining runs (with background decoding threads) and fine-tuning runs go on. A
/// Scalar handed to libtorch without being kept alive is freed mid-call within seconds under this pressure (the raw
/// <c>a + b</c> loop failed in about two seconds with <c>Scalar::toFloat</c>: "Expected false to be true").
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class NativeScalarStressTests
{
    [Fact]
    public async Task Training_survives_collections_and_finalizers_running_all_the_time()
    {
        using var temp = new TempFolder();
        var unlabelled = Path.Combine(temp.Path, "unlabelled");
        SyntheticTextures.WritePngs(unlabelled, 16, 72, seed: 3);
        var labelled = Path.Combine(temp.Path, "labelled");
        Registry.RehearsalData.Write(labelled, perClass: 8, prefix: "s", seed: 4);
        using var pressure = new CollectionPressure();

        // The residual add of every transformer block, as the crashed runs did it, for a few seconds.
        using (var a = torch.ones(64, 64))
        using (var b = torch.ones(64, 64))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < 3)
            {
                using var scope = torch.NewDisposeScope();
                _ = a.Plus(b).Times(0.5).Plus(1.0).DividedBy(3.0).Squared();
            }
        }

        for (var run = 0; run < 3; run++)
        {
            await new PretrainRunner(NullPretrainObserver.Instance).RunAsync(
                new PretrainOptions
                {
                    Data = unlabelled,
                    Output = Path.Combine(temp.Path, $"pretrain-{run}"),
                    Stage = PretrainStage.Glcm,
                    Epochs = 2,
                    Batch = 8,
                    Seed = run,
                    Workers = 2,
                    Plots = false,
                },
                CancellationToken.None);
            await new FinetuneRunner(NullFinetuneObserver.Instance).RunAsync(
                new FinetuneOptions
                {
                    Data = labelled,
                    Output = Path.Combine(temp.Path, $"finetune-{run}"),
                    Checkpoint = Path.Combine(temp.Path, $"pretrain-{run}"),
                    Epochs = 3,
                    Batch = 8,
                    Seed = run,
                    Workers = 2,
                    Report = false,
                },
                CancellationToken.None);
        }

        Assert.True(pressure.Collections > 10, $"only {pressure.Collections} forced collections ran");
    }
}
