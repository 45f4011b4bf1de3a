using System.Diagnostics;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Training;

/// <summary>Proves libtorch works here: trains one transformer block on a fixed regression task for a few steps.</summary>
internal static class RuntimeSelfCheck
{
    /// <summary>Runs <paramref name="steps"/> AdamW steps and reports the losses and time taken.</summary>
    public static RuntimeSelfCheckResult Run(int steps = 20, long seed = 7, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var device = TorchEnvironment.DefaultDevice;
        var stopwatch = Stopwatch.StartNew();

        torch.manual_seed(seed);
        using var block = new TransformerBlock(dim: 64, heads: 4, mlpRatio: 4.0, dropPath: 0.1);
        block.to(device);
        block.train();
        using var optimizer = new KeptScalars.AdamW([new AdamW.ParamGroup(block.parameters(), 1e-3, 0.9, 0.95, 1e-8, 0.05)], 1e-3, 0.9, 0.95, 1e-8, 0.05);

        using var input = torch.randn(8, 17, 64, device: device);
        using var target = TensorMath.WithScalar(0.5, torch.randn(8, 17, 64, device: device).mul_);
        var losses = new List<double>(steps);
        for (var step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var output = block.forward(input);
            var loss = nn.functional.mse_loss(output, target);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
            progress?.Report(step + 1);
        }

        var gradientsFinite = block.parameters().All(p => p.grad is { } g && g.isfinite().all().item<bool>());
        return new RuntimeSelfCheckResult(device.type.ToString().ToLowerInvariant(), losses, gradientsFinite, stopwatch.Elapsed);
    }
}
