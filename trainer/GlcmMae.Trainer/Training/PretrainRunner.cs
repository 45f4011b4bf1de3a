using System.Diagnostics;
using System.Globalization;
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
    public static PreprocessingSpec SpecFor(MaeConfig config, DecodeResolution decodeResolution = DecodeResolution.Full) => PreprocessingSpec.Default with
    {
        DecodeResolution = decodeResolution,
        Channels = config.Channels,
        CropSize = config.ImageSize,
        ResizeShorterSide = (int)Math.Round(config.ImageSize * 256.0 / 224.0),
        Mean = Enumerable.Repeat(0f, config.Channels).ToArray(),
        Std = Enumerable.Repeat(1f, config.Channels).ToArray(),
    };

    public async Task<PretrainResult> RunAsync(PretrainOptions options, CancellationToken cancellationToken)
    {
        var session = await PlanAsync(options, cancellationToken).ConfigureAwait(false);
        var config = session.Config;
        torch.manual_seed(Seeds.Derive(session.Seed, Seeds.Purpose.Torch, -1));
        using var model = new MaskedAutoencoder(config);
        if (options.InitFrom is { } pretrained && session.Start is null)
        {
            var report = PretrainedWeights.Import(model, pretrained);
            observer.Message(report.Summary);
        }

        session.Start?.LoadWeights(model);
        model.to(session.Device).train();
        using var optimizer = OptimizerFactory.AdamW(model, session.Schedule.Peak, options.WeightDecay);
        session.Continued?.LoadOptimizer(optimizer);
        var loss = new PretrainingLoss(session.Loss, session.Range, config.PatchSize, config.Channels);

        var state = session.Continued?.State;
        var progress = new LoopState { Step = state?.Step ?? 0, LastCheckpoint = session.Continued?.Path };
        var firstEpoch = state?.Epoch ?? 0;
        observer.RunStarted(new PretrainPlan(
            config.Name, session.Device.ToString(), session.Readable.Count, session.Skipped.Count, session.Loader.BatchSize, session.Accumulation, session.StepsPerEpoch, firstEpoch, session.Epochs,
            session.Schedule.TotalSteps, session.Schedule.Peak, session.Range.ToString(), Describe(session.Loss), session.Start?.Path));

        for (var epoch = firstEpoch; epoch < session.Epochs && !progress.Stopped; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            var (sums, counted) = await RunEpochAsync(options, session, model, optimizer, loss, epoch, progress, cancellationToken).ConfigureAwait(false);
            // A run stopped by --max-steps inside an epoch saves no partial epoch: its resume point stays the last whole one.
            if (!progress.Stopped || counted == session.StepsPerEpoch)
            {
                progress.LastCheckpoint = Checkpoint.Save(options.Output, CheckpointAt(options, session, epoch + 1, progress.Step), model, optimizer, options.KeepLast).Path;
            }

            if (options.Plots)
            {
                // The same images and masks after every epoch: how the reconstructions change over the run.
                await WriteReconstructionsAsync(
                    Path.Combine(options.Output, "reconstructions", string.Create(CultureInfo.InvariantCulture, $"epoch-{epoch + 1:D4}.png")),
                    model, session.Readable, session.Spec, config, session.MaskRatio, session.Seed, session.Device, cancellationToken).ConfigureAwait(false);
            }

            var mean = sums.Select(s => counted == 0 ? double.NaN : s / counted).ToArray();
            observer.EpochCompleted(new EpochMetrics(epoch, progress.Step, mean[0], mean[1], mean[2], mean[3], mean[4], epochClock.Elapsed.TotalSeconds, progress.LastCheckpoint));
        }

        var plots = new List<string>();
        if (options.Plots)
        {
            var steps = MetricsLog.ReadSteps(options.Output);
            plots.Add(LossCurvePlot.Write(Path.Combine(options.Output, "loss-curves.png"), steps));
            if (GradientNormPlot.Write(Path.Combine(options.Output, "gradient-norms.png"), steps) is { } gradientPlot)
            {
                plots.Add(gradientPlot);
            }

            plots.Add(await WriteReconstructionsAsync(Path.Combine(options.Output, "reconstructions.png"), model, session.Readable, session.Spec, config, session.MaskRatio, session.Seed, session.Device, cancellationToken).ConfigureAwait(false));
        }

        return new PretrainResult(options.Output, progress.LastCheckpoint, progress.Step, progress.LastLoss, plots);
    }

    /// <summary>
    /// The plan: continue the run's own checkpoint or start from an earlier stage's weights, take every setting from the
    /// checkpoint continued (else the options), read the data once to check it and measure its range, size the schedule.
    /// </summary>
    private async Task<PretrainSession> PlanAsync(PretrainOptions options, CancellationToken cancellationToken)
    {
        var device = TorchEnvironment.ResolveDevice(options.Device);
        // OpenMP keeps the thread count per OS thread, and awaits resume on any pool thread: pin the count this run
        // started with onto every step, so reductions split the same way throughout (and a resumed run repeats it).
        var threads = torch.get_num_threads();
        Directory.CreateDirectory(options.Output);
        var (continued, startWeights) = ResolveResume(options);
        var state = continued?.State;
        var config = state?.Model ?? startWeights?.State.Model ?? ModelPresets.Get(options.Model, options.Channels, options.ImageSize, options.PatchSize);
        if (continued is null && startWeights is null && config.Name != options.Model)
        {
            throw new TrainingException("ModelMismatch", $"Preset '{options.Model}' does not exist.");
        }

        var spec = state is not null ? PreprocessingSpec.FromJson(state.PreprocessingSpec)
            : startWeights is not null ? PreprocessingSpec.FromJson(startWeights.State.PreprocessingSpec)
            : SpecFor(config, options.DecodeResolution);
        var seed = state?.Seed ?? options.Seed;
        var batch = state?.Batch ?? options.Batch;
        var accumulation = state?.Accumulation ?? Math.Max(1, options.Accumulation);
        var augmentation = state?.Augmentation ?? options.Augmentation;

        var dataFolder = await DatasetSource.ResolveAsync(options.Data, null, null, cancellationToken).ConfigureAwait(false);
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

        var loader = new PretrainDataLoader(readable, spec, batch, workers, augmentation, seed);
        var stepsPerEpoch = loader.BatchesPerEpoch / accumulation;
        if (stepsPerEpoch < 1)
        {
            throw new TrainingException("DatasetTooSmall", $"{readable.Count} images make no full optimiser step of {loader.BatchSize} x {accumulation}; lower --batch or --accumulation.");
        }

        var epochs = state?.Epochs ?? options.Epochs;
        return new PretrainSession
        {
            Device = device,
            Threads = threads,
            Continued = continued,
            StartWeights = startWeights,
            Config = config,
            Spec = spec,
            Loss = state?.Loss ?? options.EffectiveLoss,
            // Measured once: a continued run or stage 2 keeps the range of the data it started from.
            Range = state?.DataRange ?? startWeights?.State.DataRange ?? measured,
            Readable = readable,
            Skipped = skipped,
            Loader = loader,
            Seed = seed,
            Batch = batch,
            Accumulation = accumulation,
            MaskRatio = state?.MaskRatio ?? options.MaskRatio,
            Sharpness = state is not null ? SharpnessSchedule.Parse(state.Sharpness) : options.Sharpness,
            Augmentation = augmentation,
            StepsPerEpoch = stepsPerEpoch,
            Epochs = epochs,
            Schedule = state?.Schedule ?? new LearningRateSchedule(
                options.LearningRate ?? (options.BaseLearningRate * loader.BatchSize * accumulation / 256.0),
                options.MinLearningRate,
                (long)Math.Round(options.WarmupEpochs * stepsPerEpoch),
                (long)epochs * stepsPerEpoch),
        };
    }

    /// <summary>One epoch: micro-batches forward and backward, an optimizer step every <see cref="PretrainSession.Accumulation"/> of them; the sums of the step means and how many steps ran.</summary>
    private async Task<(double[] Sums, int Counted)> RunEpochAsync(
        PretrainOptions options, PretrainSession session, MaskedAutoencoder model, KeptScalars.AdamW optimizer, PretrainingLoss loss, int epoch, LoopState progress, CancellationToken cancellationToken)
    {
        var sharpness = session.Sharpness.At(epoch, session.Epochs);
        observer.EpochStarted(epoch, session.Epochs, session.StepsPerEpoch);
        var epochClock = Stopwatch.StartNew();
        var sums = new double[5];
        var counted = 0;
        var micro = 0;
        var pending = new double[5];
        TermGradientNorms? gradients = null;
        var stepClock = Stopwatch.StartNew();
        optimizer.zero_grad();
        await foreach (var loaded in session.Loader.ReadEpochAsync(epoch, cancellationToken).ConfigureAwait(false))
        {
            if (loaded.Index >= session.StepsPerEpoch * session.Accumulation)
            {
                break;
            }

            // Each term's push on the decoder output, on the first micro-batch of every logged step.
            var measure = micro == 0 && progress.Step % Math.Max(1, options.LogEvery) == 0;
            gradients = MicroStep(options, session, model, loss, loaded, progress.Step, micro, sharpness, pending, measure) ?? gradients;
            micro++;
            if (micro < session.Accumulation)
            {
                continue;
            }

            var means = OptimizerStep(options, session, model, optimizer, pending, progress.Step, out var rate);
            var seconds = stepClock.Elapsed.TotalSeconds;
            stepClock.Restart();
            var stepMetrics = new StepMetrics(epoch, progress.Step, rate, means[0], means[1], means[2], means[3], means[4], sharpness, session.Loader.BatchSize * session.Accumulation / seconds, epochClock.Elapsed.TotalSeconds, gradients);
            gradients = null;
            observer.StepCompleted(stepMetrics);
            Diagnostics.TrainingTelemetry.Step(stepMetrics, options.Stage);
            for (var i = 0; i < 5; i++)
            {
                sums[i] += means[i];
            }

            counted++;
            progress.LastLoss = means[0];
            Array.Clear(pending);
            micro = 0;
            progress.Step++;
            if (progress.Step >= options.MaxSteps)
            {
                progress.Stopped = true;
                break;
            }
        }

        return (sums, counted);
    }

    /// <summary>Forward and backward on one micro-batch (its seeds derived from the step and micro-batch), adding its loss terms to <paramref name="pending"/>.</summary>
    private static TermGradientNorms? MicroStep(
        PretrainOptions options, PretrainSession session, MaskedAutoencoder model, PretrainingLoss loss, LoadedBatch loaded, long step, int micro, double sharpness, double[] pending, bool measureGradients)
    {
        var config = session.Config;
        using var scope = torch.NewDisposeScope();
        torch.set_num_threads(session.Threads);
        torch.manual_seed(Seeds.Derive(session.Seed, Seeds.Purpose.Torch, step, micro));
        var noise = torch.rand([loaded.Count, config.PatchCount], generator: new Generator((ulong)Seeds.Derive(session.Seed, Seeds.Purpose.Masking, step, micro)));
        var images = torch.tensor(loaded.Data, [loaded.Count, config.Channels, config.ImageSize, config.ImageSize]).to(session.Device);
        MaeOutput output;
        using (Autocast.Enable(options.Bf16 ? ScalarType.BFloat16 : null))
        {
            output = model.Forward(images, noise, session.MaskRatio);
        }

        var stepSharpness = session.Loss.GlcmWeight > 0 || session.Loss.FeatureWeight > 0 ? sharpness : (double?)null;
        var gradients = measureGradients ? TermGradientNorms.Measure(loss, images, output.Prediction, output.Mask, stepSharpness) : null;
        var terms = loss.Compute(images, output.Prediction, output.Mask, stepSharpness);
        terms.Total.DividedBy(session.Accumulation).backward();
        Accumulate(pending, terms.Total.item<float>(), terms.Mse, terms.Glcm, terms.Ssim, terms.Features);
        return gradients;
    }

    /// <summary>The optimizer step at the schedule's rate (gradients clipped when asked); the means of the accumulated terms, refused when not finite.</summary>
    private static double[] OptimizerStep(PretrainOptions options, PretrainSession session, MaskedAutoencoder model, KeptScalars.AdamW optimizer, double[] pending, long step, out double rate)
    {
        rate = session.Schedule.At(step);
        OptimizerFactory.SetLearningRate(optimizer, rate);
        if (options.ClipGradient is { } clip)
        {
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip);
        }

        optimizer.step();
        optimizer.zero_grad();
        var means = pending.Select(v => v / session.Accumulation).ToArray();
        if (!double.IsFinite(means[0]))
        {
            throw new TrainingException("LossNotFinite", $"The loss became {means[0]} at step {step}; lower the learning rate or enable --clip-grad.");
        }

        return means;
    }

    /// <summary>What a checkpoint records: the settings the run continues with, whatever its command line says then.</summary>
    private static CheckpointState CheckpointAt(PretrainOptions options, PretrainSession session, int epoch, long step) => new()
    {
        Epoch = epoch,
        Step = step,
        Epochs = session.Epochs,
        Stage = options.Stage,
        Model = session.Config,
        Loss = session.Loss,
        DataRange = session.Range,
        PreprocessingSpec = session.Spec.ToJson(),
        Seed = session.Seed,
        Batch = session.Batch,
        Accumulation = session.Accumulation,
        MaskRatio = session.MaskRatio,
        Schedule = session.Schedule,
        Sharpness = session.Sharpness.ToString(),
        Augmentation = session.Augmentation,
        Created = DateTimeOffset.UtcNow,
    };

    /// <summary>Where the loop is: the step, the last mean loss and checkpoint, and whether --max-steps stopped it.</summary>
    private sealed class LoopState
    {
        public long Step { get; set; }

        public double? LastLoss { get; set; }

        public string? LastCheckpoint { get; set; }

        public bool Stopped { get; set; }
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
        string path, MaskedAutoencoder model, IReadOnlyList<string> files, PreprocessingSpec spec, MaeConfig config, double maskRatio, long seed, Device device, CancellationToken cancellationToken)
    {
        var loader = new ScanTensorLoader(spec);
        var chosen = files.Take(Math.Min(4, files.Count)).ToArray();
        // Loaded before the scope and the no-grad mode, which are per thread: the await may resume on another thread.
        using var loaded = await loader.LoadBatchAsync(chosen, cancellationToken).ConfigureAwait(false);
        using var scope = torch.NewDisposeScope();
        var images = loaded.to(device);
        model.eval();
        using var noGrad = torch.no_grad();
        var noise = torch.rand([chosen.Length, config.PatchCount], generator: new Generator((ulong)seed));
        var output = model.Forward(images, noise, maskRatio);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ReconstructionGrid.Write(path, images.cpu(), output.Prediction.cpu(), output.Mask.cpu(), config.PatchSize);
        model.train();
        return path;
    }
}
