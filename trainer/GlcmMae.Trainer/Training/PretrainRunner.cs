using System.Diagnostics;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Losses;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Reports;
using GlcmMae.Trainer.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Training;

/// <summary>Runs one pretraining stage end to end: data, data range, model, resume, the training loop, checkpoints, plots.</summary>
internal sealed class PretrainRunner(IPretrainObserver observer)
{
    /// <summary>The preprocessing a model of this config trains and serves with: resize 256/224 of the input, centre crop.</summary>
    public static PreprocessingSpec SpecFor(MaeConfig config) => PreprocessingSpec.Default with
    {
        Channels = config.Channels,
        CropSize = config.ImageSize,
        ResizeShorterSide = (int)Math.Round(config.ImageSize * 256.0 / 224.0),
        Mean = Enumerable.Repeat(0f, config.Channels).ToArray(),
        Std = Enumerable.Repeat(1f, config.Channels).ToArray(),
    };

    public async Task<PretrainResult> RunAsync(PretrainOptions options, CancellationToken cancellationToken)
    {
        var device = TorchEnvironment.ResolveDevice(options.Device);
        // OpenMP keeps the thread count per OS thread, and awaits resume on any pool thread: pin the count this run
        // started with onto every step, so reductions split the same way throughout (and a resumed run repeats it).
        var threads = torch.get_num_threads();
        Directory.CreateDirectory(options.Output);
        var (continued, startWeights) = ResolveResume(options);
        var state = continued?.State;
        var config = state?.Model ?? startWeights?.State.Model ?? ModelPresets.Get(options.Model, options.Channels);
        if (continued is null && startWeights is null && config.Name != options.Model)
        {
            throw new TrainingException("ModelMismatch", $"Preset '{options.Model}' does not exist.");
        }

        var spec = state is not null ? PreprocessingSpec.FromJson(state.PreprocessingSpec)
            : startWeights is not null ? PreprocessingSpec.FromJson(startWeights.State.PreprocessingSpec)
            : SpecFor(config);
        var lossOptions = state?.Loss ?? options.EffectiveLoss;
        var seed = state?.Seed ?? options.Seed;
        var batch = state?.Batch ?? options.Batch;
        var accumulation = state?.Accumulation ?? Math.Max(1, options.Accumulation);
        var maskRatio = state?.MaskRatio ?? options.MaskRatio;
        var sharpness = state is not null ? SharpnessSchedule.Parse(state.Sharpness) : options.Sharpness;
        var augmentation = state?.Augmentation ?? options.Augmentation;

        var dataFolder = await DatasetSource.ResolveAsync(options.Data, cancellationToken).ConfigureAwait(false);
        var manifest = DatasetManifest.Load(dataFolder);
        IReadOnlyList<string> files = manifest.Scans.Select(s => s.Path).ToArray();
        if (options.HeldOut is { } split)
        {
            files = await PretrainingPool.TrainingFilesAsync(manifest, dataFolder, split, SampleGrouping.Study, cancellationToken).ConfigureAwait(false);
            observer.Message($"Pretraining on the training split: {files.Count} of {manifest.Scans.Count} scans (validation and test studies are held out).");
        }

        var workers = options.Workers > 0 ? options.Workers : Math.Max(1, Environment.ProcessorCount / 2);
        observer.Message($"Reading {files.Count} scans once to check them and measure the intensity range...");
        var (measured, readable, skipped) = await DataRangeEstimator.MeasureAsync(files, spec, workers, null, cancellationToken).ConfigureAwait(false);
        foreach (var (file, reason) in skipped.Take(5))
        {
            observer.Message($"Skipping unreadable scan {Path.GetFileName(file)}: {reason}");
        }

        // Measured once: a continued run or stage 2 keeps the range of the data it started from.
        var range = state?.DataRange ?? startWeights?.State.DataRange ?? measured;
        var loader = new PretrainDataLoader(readable, spec, batch, workers, augmentation, seed);
        var stepsPerEpoch = loader.BatchesPerEpoch / accumulation;
        if (stepsPerEpoch < 1)
        {
            throw new TrainingException("DatasetTooSmall", $"{readable.Count} images make no full optimiser step of {loader.BatchSize} x {accumulation}; lower --batch or --accumulation.");
        }

        var epochs = state?.Epochs ?? options.Epochs;
        var schedule = state?.Schedule ?? new LearningRateSchedule(
            options.LearningRate ?? (options.BaseLearningRate * loader.BatchSize * accumulation / 256.0),
            options.MinLearningRate,
            (long)Math.Round(options.WarmupEpochs * stepsPerEpoch),
            (long)epochs * stepsPerEpoch);

        torch.manual_seed(Seeds.Derive(seed, Seeds.Purpose.Torch, -1));
        using var model = new MaskedAutoencoder(config);
        if (options.InitFrom is { } pretrained && continued is null && startWeights is null)
        {
            var report = PretrainedWeights.Import(model, pretrained);
            observer.Message(report.Summary);
        }

        (continued ?? startWeights)?.LoadWeights(model);
        model.to(device).train();
        using var optimizer = OptimizerFactory.AdamW(model, schedule.Peak, options.WeightDecay);
        continued?.LoadOptimizer(optimizer);
        var loss = new PretrainingLoss(lossOptions, range, config.PatchSize, config.Channels);

        var firstEpoch = state?.Epoch ?? 0;
        var step = state?.Step ?? 0;
        observer.RunStarted(new PretrainPlan(
            config.Name, device.ToString(), readable.Count, skipped.Count, loader.BatchSize, accumulation, stepsPerEpoch, firstEpoch, epochs,
            schedule.TotalSteps, schedule.Peak, range.ToString(), Describe(lossOptions), (continued ?? startWeights)?.Path));

        string? lastCheckpoint = continued?.Path;
        double? lastLoss = null;
        var stopped = false;
        for (var epoch = firstEpoch; epoch < epochs && !stopped; epoch++)
        {
            var l = sharpness.At(epoch, epochs);
            observer.EpochStarted(epoch, epochs, stepsPerEpoch);
            var epochClock = Stopwatch.StartNew();
            var sums = new double[5];
            var counted = 0;
            var micro = 0;
            var pending = new double[5];
            var stepClock = Stopwatch.StartNew();
            optimizer.zero_grad();
            await foreach (var loaded in loader.ReadEpochAsync(epoch, cancellationToken).ConfigureAwait(false))
            {
                if (loaded.Index >= stepsPerEpoch * accumulation)
                {
                    break;
                }

                using (var scope = torch.NewDisposeScope())
                {
                    torch.set_num_threads(threads);
                    torch.manual_seed(Seeds.Derive(seed, Seeds.Purpose.Torch, step, micro));
                    var noise = torch.rand([loaded.Count, config.PatchCount], generator: new Generator((ulong)Seeds.Derive(seed, Seeds.Purpose.Masking, step, micro)));
                    var images = torch.tensor(loaded.Data, [loaded.Count, config.Channels, config.ImageSize, config.ImageSize]).to(device);
                    MaeOutput output;
                    using (Autocast.Enable(options.Bf16 ? ScalarType.BFloat16 : null))
                    {
                        output = model.Forward(images, noise, maskRatio);
                    }

                    var terms = loss.Compute(images, output.Prediction, output.Mask, lossOptions.GlcmWeight > 0 || lossOptions.FeatureWeight > 0 ? l : null);
                    terms.Total.DividedBy(accumulation).backward();
                    Accumulate(pending, terms.Total.item<float>(), terms.Mse, terms.Glcm, terms.Ssim, terms.Features);
                }

                micro++;
                if (micro < accumulation)
                {
                    continue;
                }

                var rate = schedule.At(step);
                OptimizerFactory.SetLearningRate(optimizer, rate);
                if (options.ClipGradient is { } clip)
                {
                    torch.nn.utils.clip_grad_norm_(model.parameters(), clip);
                }

                optimizer.step();
                optimizer.zero_grad();
                var means = pending.Select(v => v / accumulation).ToArray();
                if (!double.IsFinite(means[0]))
                {
                    throw new TrainingException("LossNotFinite", $"The loss became {means[0]} at step {step}; lower the learning rate or enable --clip-grad.");
                }

                var seconds = stepClock.Elapsed.TotalSeconds;
                stepClock.Restart();
                var stepMetrics = new StepMetrics(epoch, step, rate, means[0], means[1], means[2], means[3], means[4], l, loader.BatchSize * accumulation / seconds, epochClock.Elapsed.TotalSeconds);
                observer.StepCompleted(stepMetrics);
                Diagnostics.TrainingTelemetry.Step(stepMetrics, options.Stage);
                for (var i = 0; i < 5; i++)
                {
                    sums[i] += means[i];
                }

                counted++;
                lastLoss = means[0];
                Array.Clear(pending);
                micro = 0;
                step++;
                if (step >= options.MaxSteps)
                {
                    stopped = true;
                    break;
                }
            }

            var epochState = new CheckpointState
            {
                Epoch = epoch + 1,
                Step = step,
                Epochs = epochs,
                Stage = options.Stage,
                Model = config,
                Loss = lossOptions,
                DataRange = range,
                PreprocessingSpec = spec.ToJson(),
                Seed = seed,
                Batch = batch,
                Accumulation = accumulation,
                MaskRatio = maskRatio,
                Schedule = schedule,
                Sharpness = sharpness.ToString(),
                Augmentation = augmentation,
                Created = DateTimeOffset.UtcNow,
            };
            if (!stopped || counted == stepsPerEpoch)
            {
                lastCheckpoint = Checkpoint.Save(options.Output, epochState, model, optimizer, options.KeepLast).Path;
            }

            var mean = sums.Select(s => counted == 0 ? double.NaN : s / counted).ToArray();
            observer.EpochCompleted(new EpochMetrics(epoch, step, mean[0], mean[1], mean[2], mean[3], mean[4], epochClock.Elapsed.TotalSeconds, lastCheckpoint));
        }

        var plots = new List<string>();
        if (options.Plots)
        {
            plots.Add(LossCurvePlot.Write(Path.Combine(options.Output, "loss-curves.png"), MetricsLog.ReadSteps(options.Output)));
            plots.Add(await WriteReconstructionsAsync(options.Output, model, readable, spec, config, maskRatio, seed, device, cancellationToken).ConfigureAwait(false));
        }

        return new PretrainResult(options.Output, lastCheckpoint, step, lastLoss, plots);
    }

    private static (Checkpoint? Continued, Checkpoint? StartWeights) ResolveResume(PretrainOptions options)
    {
        // A crashed or stopped run continues from its own newest checkpoint, whatever --resume says.
        if (Checkpoint.Latest(options.Output) is { } latest)
        {
            if (latest.State.Stage != options.Stage)
            {
                throw new TrainingException("StageMismatch", $"{options.Output} holds a {latest.State.Stage} run; use another --output for the {options.Stage} stage.");
            }

            return (latest, null);
        }

        if (options.Resume is not { } resume)
        {
            return (null, null);
        }

        var checkpoint = Checkpoint.Open(resume);
        // Same stage: continue that run here. Stage 1 into stage 2: start from its weights with a fresh optimiser and schedule.
        return checkpoint.State.Stage == options.Stage && checkpoint.HasOptimizer ? (checkpoint, null) : (null, checkpoint);
    }

    private static void Accumulate(double[] pending, double total, double mse, double glcm, double ssim, double features)
    {
        pending[0] += total;
        pending[1] += mse;
        pending[2] += glcm;
        pending[3] += ssim;
        pending[4] += features;
    }

    private static string Describe(PretrainingLossOptions loss) => string.Join(
        " + ",
        new[] { (loss.GlcmWeight, "GLCM"), (loss.SsimWeight, "SSIM"), (loss.MseWeight, "MSE"), (loss.FeatureWeight, "GLCM features") }
            .Where(t => t.Item1 > 0)
            .Select(t => FormattableString.Invariant($"{t.Item1:G3} {t.Item2}")));

    private static async Task<string> WriteReconstructionsAsync(
        string folder, MaskedAutoencoder model, IReadOnlyList<string> files, PreprocessingSpec spec, MaeConfig config, double maskRatio, long seed, Device device, CancellationToken cancellationToken)
    {
        var loader = new ScanTensorLoader(spec);
        var chosen = files.Take(Math.Min(4, files.Count)).ToArray();
        using var scope = torch.NewDisposeScope();
        var images = (await loader.LoadBatchAsync(chosen, cancellationToken).ConfigureAwait(false)).to(device);
        model.eval();
        using var noGrad = torch.no_grad();
        var noise = torch.rand([chosen.Length, config.PatchCount], generator: new Generator((ulong)seed));
        var output = model.Forward(images, noise, maskRatio);
        var path = Path.Combine(folder, "reconstructions.png");
        ReconstructionGrid.Write(path, images.cpu(), output.Prediction.cpu(), output.Mask.cpu(), config.PatchSize);
        model.train();
        return path;
    }
}
