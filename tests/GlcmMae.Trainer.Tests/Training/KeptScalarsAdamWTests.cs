using GlcmMae.Testing;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using TorchSharp;
using TorchSharp.Modules;

namespace GlcmMae.Trainer.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class KeptScalarsAdamWTests
{
    private static (Linear Model, torch.Tensor Input) Model(int seed)
    {
        torch.manual_seed(seed);
        return (torch.nn.Linear(32, 8), torch.randn(16, 32));
    }

    private static void Train(Linear model, torch.Tensor input, OptimizerHelper optimizer, int steps)
    {
        for (var step = 0; step < steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            OptimizerFactory.SetLearningRate(optimizer, 1e-2 / (1 + step));
            optimizer.zero_grad();
            // Squared, not square(): pow(x, 2) would hand libtorch a temporary exponent.
            model.forward(input).Squared().sum().backward();
            optimizer.step();
        }
    }

    [Fact]
    public void It_updates_bit_for_bit_as_TorchSharps_AdamW_and_shares_its_checkpoint_format()
    {
        var (reference, input) = Model(3);
        var (kept, _) = Model(3);
        using var referenceOptimizer = torch.optim.AdamW([new AdamW.ParamGroup(reference.parameters(), 1e-2, 0.9, 0.95, 1e-8, 0.05)], 1e-2, 0.9, 0.95, 1e-8, 0.05);
        using var keptOptimizer = new KeptScalars.AdamW([new AdamW.ParamGroup(kept.parameters(), 1e-2, 0.9, 0.95, 1e-8, 0.05)], 1e-2, 0.9, 0.95, 1e-8, 0.05);

        Train(reference, input, referenceOptimizer, 25);
        Train(kept, input, keptOptimizer, 25);

        Assert.True(reference.weight!.allclose(kept.weight!, rtol: 0, atol: 0));
        Assert.True(reference.bias!.allclose(kept.bias!, rtol: 0, atol: 0));
        using var temp = new TempFolder();
        var saved = temp.File("optimizer.bin");
        keptOptimizer.save_state_dict(saved);
        referenceOptimizer.load_state_dict(saved);
        Train(reference, input, referenceOptimizer, 3);
        Train(kept, input, keptOptimizer, 3);
        Assert.True(reference.weight!.allclose(kept.weight!, rtol: 0, atol: 0));
        input.Dispose();
        reference.Dispose();
        kept.Dispose();
    }

    [Fact]
    public void Its_steps_survive_collections_and_finalizers_running_all_the_time()
    {
        // TorchSharp's AdamW failed this within about two seconds (Scalar::toFloat: "Expected false to be true").
        var (model, input) = Model(5);
        using var optimizer = new KeptScalars.AdamW([new AdamW.ParamGroup(model.parameters(), 1e-3, 0.9, 0.999, 1e-8, 0.05)], 1e-3, 0.9, 0.999, 1e-8, 0.05);
        using var pressure = new GlcmMae.Trainer.Tests.Torch.CollectionPressure();
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < 5)
            {
                Train(model, input, optimizer, 1);
            }
        }
        finally
        {
            input.Dispose();
            model.Dispose();
        }
    }
}
