using System.Diagnostics;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Diagnostics;
using GlcmMae.Trainer.Losses;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>Pretraining step time for MSE-only and full GLCM-MAE losses, and the GLCM term's cost in its sparse and direct forms.</summary>
internal static class TrainStepBenchmark
{
    public static TrainStepBenchmarkResult Run(TrainStepBenchmarkOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var device = options.Device;
        var config = ModelPresets.Get(options.Model);
        torch.manual_seed(options.Seed);
        using var model = new MaskedAutoencoder(config);
        model.to(device).train();
        using var images = SyntheticTextures.Batch(options.Batch, config.ImageSize, config.Channels, options.Seed).to(device);
        var glcm = new GlcmLossOptions { Bins = options.Bins };
        var full = new PretrainingLossOptions { Glcm = glcm };
        // Interleaved rounds, median per loss: this machine's speed drifts, and both losses should see the same drift.
        var losses = new[]
        {
            ("MSE only (MAE)", new PretrainingLoss(PretrainingLossOptions.MseOnly, DataRange.Unit, config.PatchSize, config.Channels)),
            ("GLCM-MAE (1 GLCM + 1 SSIM + 0.1 MSE)", new PretrainingLoss(full, DataRange.Unit, config.PatchSize, config.Channels)),
        };
        using var optimizer = OptimizerFactory.AdamW(model, 1e-4, 0.05);
        var generator = new Generator((ulong)options.Seed);
        foreach (var (_, loss) in losses)
        {
            for (var i = 0; i < options.WarmupSteps; i++)
            {
                Step(model, optimizer, images, loss, generator);
            }
        }

        // Paired rounds: a shared machine's speed drifts by tens of percent within a minute, so each round times both
        // losses back to back, alternating which goes first, and the ratio is the median of the rounds' ratios.
        var rounds = Math.Max(3, options.Steps / 4);
        var perRound = Math.Max(1, options.Steps / rounds);
        var samples = losses.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var l in round % 2 == 0 ? [0, 1] : new[] { 1, 0 })
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report($"{losses[l].Item1}, round {round + 1}/{rounds}");
                var stopwatch = Stopwatch.StartNew();
                for (var i = 0; i < perRound; i++)
                {
                    Step(model, optimizer, images, losses[l].Item2, generator);
                }

                Synchronise(device);
                samples[l].Add(stopwatch.Elapsed.TotalMilliseconds / perRound);
            }
        }

        var steps = losses.Select((loss, l) =>
        {
            var median = samples[l].Order().ElementAt(samples[l].Count / 2);
            return new StepTiming(loss.Item1, median, options.Batch * 1000.0 / median);
        }).ToList();

        string[] formulations = options.SkipDirect
            ? ["sparse (ours)"]
            : ["sparse (ours)", "direct, masked patches", "direct, all patches (published)"];
        var times = new List<double>();
        foreach (var formulation in formulations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report($"GLCM term time, {formulation}");
            times.Add(MeasureGlcmTerm(formulation, config, images, glcm, options, device, measureMemory: false).Milliseconds);
        }

        // Memory last: the allocator setting it needs would slow every allocation of the timed runs.
        var terms = new List<GlcmTermCost>();
        for (var i = 0; i < formulations.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report($"GLCM term memory, {formulations[i]}");
            var peak = device.type == DeviceType.CPU && PeakMemory.IsSupported
                ? MeasureGlcmTerm(formulations[i], config, images, glcm, options, device, measureMemory: true).PeakBytes
                : null;
            terms.Add(new GlcmTermCost(formulations[i], times[i], peak));
        }

        var roundRatios = samples[1].Zip(samples[0], (full, mse) => full / mse).ToList();
        return new TrainStepBenchmarkResult(config.Name, options.Batch, options.Bins, device.type.ToString(), torch.get_num_threads(), steps, roundRatios, terms);
    }

    private static void Step(MaskedAutoencoder model, KeptScalars.AdamW optimizer, Tensor images, PretrainingLoss loss, Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        var noise = torch.rand([images.shape[0], model.Config.PatchCount], generator: generator);
        using var output = model.Forward(images, noise, 0.75);
        using var terms = loss.Compute(images, output.Prediction, output.Mask);
        terms.Total.backward();
        optimizer.step();
    }

    private static GlcmTermCost MeasureGlcmTerm(string formulation, MaeConfig config, Tensor images, GlcmLossOptions glcm, TrainStepBenchmarkOptions options, Device device, bool measureMemory)
    {
        using var scope = torch.NewDisposeScope();
        var target = PatchLayout.Patchify(images, config.PatchSize);
        var prediction = target.Plus(torch.randn_like(target).Times(0.05)).detach().requires_grad_(true);
        var noise = torch.rand([images.shape[0], config.PatchCount], generator: new Generator((ulong)options.Seed));
        var (_, mask, _) = RandomMasking.Apply(torch.zeros(images.shape[0], config.PatchCount, 1), 0.75, noise);
        mask = mask.to(device);
        var direct = formulation.StartsWith("direct", StringComparison.Ordinal);
        var allPatches = formulation.EndsWith("(published)", StringComparison.Ordinal);
        var loss = GlcmLoss.Create(glcm with { Formulation = direct ? GlcmFormulation.Direct : GlcmFormulation.Sparse }, DataRange.Unit);
        void Term()
        {
            using var inner = torch.NewDisposeScope();
            var predicted = PatchLayout.ChannelPatches(prediction, config.PatchSize, config.Channels).flatten(0, 1);
            var targets = PatchLayout.ChannelPatches(target, config.PatchSize, config.Channels).flatten(0, 1);
            Tensor value;
            if (allPatches)
            {
                // As published: every patch's GLCMs, then the mask zeroes the visible ones.
                value = MaskedMse.MaskedMean(loss.PerPatch(predicted, targets).view(mask.shape), mask);
            }
            else
            {
                var selected = mask.flatten().nonzero().squeeze(1);
                value = loss.PerPatch(predicted.index_select(0, selected), targets.index_select(0, selected)).mean();
            }

            value.backward();
            prediction.grad?.zero_();
            Synchronise(device);
        }

        if (measureMemory)
        {
            PeakMemory.UseStableAllocator();
            // The CPU kernel's working arrays live on the managed heap, which the resident set may not show growing:
            // count every managed byte allocated meanwhile as well (an upper bound of its peak).
            var managed = GC.GetTotalAllocatedBytes(precise: true);
            var resident = PeakMemory.Measure(Term);
            var pooled = direct ? 0 : CpuSparseGlcmKernel.WorkingSetBytes(
                (int)mask.sum().item<float>(), config.PatchSize, glcm, SparseGlcmLoss.ReachFor(glcm.Sharpness, glcm.Tolerance), Environment.ProcessorCount);
            // The kernel's buffers are pooled from earlier calls, so the resident set does not grow by them: count them in full.
            return new GlcmTermCost(formulation, double.NaN, resident + (GC.GetTotalAllocatedBytes(precise: true) - managed) + pooled);
        }

        if (!direct)
        {
            Term();
        }

        var stopwatch = Stopwatch.StartNew();
        var repeats = direct ? 1 : options.Steps;
        for (var i = 0; i < repeats; i++)
        {
            Term();
        }

        return new GlcmTermCost(formulation, stopwatch.Elapsed.TotalMilliseconds / repeats, null);
    }

    private static void Synchronise(Device device)
    {
        if (device.type == DeviceType.CUDA)
        {
            torch.cuda.synchronize(device);
        }
    }
}
