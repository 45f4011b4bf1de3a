using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Reports;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Finetuning;

/// <summary>Fine-tunes (or linearly probes) a ViT classifier: splits, training, selection on validation, one test evaluation.</summary>
internal sealed class FinetuneRunner(IFinetuneObserver observer)
{
    /// <summary>File of per-epoch figures in a run folder.</summary>
    public const string HistoryFile = "history.jsonl";

    /// <summary>File listing which images went to which split.</summary>
    public const string SplitsFile = SplitsDocument.FileName;

    /// <summary>Runs one split, or every fold with <see cref="FinetuneOptions.Folds"/>; returns one result per run.</summary>
    public async Task<IReadOnlyList<FinetuneResult>> RunAsync(FinetuneOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var device = TorchEnvironment.ResolveDevice(options.Device);
        // OpenMP keeps the thread count per OS thread and awaits resume on pool threads: carry this one into training.
        var threads = torch.get_num_threads();
        Directory.CreateDirectory(options.Output);
        var start = FinetuneStart.Resolve(options);
        var dataFolder = await DatasetSource.ResolveAsync(options.Data, null, null, cancellationToken).ConfigureAwait(false);
        var manifest = DatasetManifest.Load(dataFolder);
        var root = Directory.Exists(dataFolder) ? Path.GetFullPath(dataFolder) : Path.GetDirectoryName(Path.GetFullPath(dataFolder))!;
        var workers = options.Workers > 0 ? options.Workers : Math.Max(1, Environment.ProcessorCount);
        observer.Message($"Reading {manifest.Scans.Count} scans into memory...");
        var set = await LabelledImageSet.LoadAsync(manifest, root, start.Spec, null, options.AllFrames, options.Grouping, workers, cancellationToken).ConfigureAwait(false);
        foreach (var (file, reason) in set.Skipped.Take(5))
        {
            observer.Message($"Skipping unreadable scan {Path.GetFileName(file)}: {reason}");
        }

        if (options.PositiveLabel is { } positive)
        {
            _ = ClassificationMetrics.IndexOf(set.Labels, positive);
        }

        var splits = options.Folds >= 2
            ? DatasetSplitter.KFold(set.Samples, options.Folds, options.ValidationFraction, options.Seed)
            : [options.StableSplit?.Split(set.Samples) ?? DatasetSplitter.Split(set.Samples, options.ValidationFraction, options.TestFraction, options.Seed)];
        var results = new List<FinetuneResult>();
        for (var fold = 0; fold < splits.Count; fold++)
        {
            var folder = splits.Count == 1 ? options.Output : Path.Combine(options.Output, string.Create(CultureInfo.InvariantCulture, $"fold-{fold + 1:D2}"));
            var split = splits[fold] with { Train = DatasetSplitter.Subsample(set.Samples, splits[fold].Train, options.TrainFraction, options.Seed) };
            torch.set_num_threads(threads);
            results.Add(TrainOne(options, start, set, root, split, folder, fold, device, cancellationToken));
        }

        return results;
    }

    private FinetuneResult TrainOne(
        FinetuneOptions options, FinetuneStart start, LabelledImageSet set, string root, SplitIndices split, string folder, int fold, Device device, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var samples = set.Samples;
        var labels = set.Labels;
        if (split.Train.Length == 0 || split.Validation.Length == 0)
        {
            throw new TrainingException("DatasetTooSmall", $"The split left {split.Train.Length} training and {split.Validation.Length} validation images; add scans or raise --val.");
        }

        WriteSplits(folder, root, labels, samples, split);
        var snapshot = DatasetSnapshot.Build(set, split, options.Data);
        DatasetSnapshot.Write(folder, snapshot);
        var trainingFingerprint = DatasetSnapshot.Fingerprint(snapshot.Where(e => e.Split == SnapshotUse.Train));
        observer.Message(string.Create(CultureInfo.InvariantCulture, $"Split: {split.Train.Length} train, {split.Validation.Length} validation, {split.Test.Length} test images; classes {string.Join(", ", labels.Select((l, i) => $"{l} {split.Train.Count(s => samples[s].Label == i)}"))} in train."));
        var config = start.Config;
        var size = config.ImageSize;
        var channels = config.Channels;
        var probe = options.Mode == FinetuneMode.LinearProbe;

        torch.manual_seed(Seeds.Derive(options.Seed, Seeds.Purpose.Torch, -1));
        using var model = new VitClassifier(config, labels.Count, probe ? 0 : options.DropPath);
        observer.Message(start.Initialise(model));
        if (probe)
        {
            model.FreezeEncoder();
        }

        model.to(device);
        var batch = Math.Min(options.Batch, split.Train.Length);
        var stepsPerEpoch = (split.Train.Length + batch - 1) / batch;
        var peak = options.LearningRate ?? (options.EffectiveBaseLearningRate * batch / 256.0);
        var schedule = new LearningRateSchedule(peak, options.MinLearningRate, (long)Math.Round(options.WarmupEpochs * stepsPerEpoch), (long)options.Epochs * stepsPerEpoch);
        var (optimizer, scales) = ClassifierOptimizer.Create(model, peak, probe ? 0 : options.WeightDecay, probe ? 1 : options.LayerDecay);
        using var disposeOptimizer = optimizer;
        using var classWeights = options.Balancing == ClassBalancing.Loss ? ClassWeights(samples, split.Train, labels.Count).to(device) : null;

        var history = new List<FinetuneEpoch>();
        var historyPath = Path.Combine(folder, HistoryFile);
        var modelFolder = Path.Combine(folder, ClassifierCheckpoint.FolderName);
        var best = (BalancedAccuracy: double.NegativeInfinity, Loss: double.PositiveInfinity, Epoch: 0);
        long step = 0;
        var firstEpoch = 0;
        // A run whose process was lost continues after its last completed epoch (same data, seed and settings only).
        var identity = string.Join('/', trainingFingerprint, options.Seed, options.Epochs, batch, options.Mode, peak, fold);
        if (FinetuneResumePoint.TryLoad(folder, identity, model, optimizer) is { } resumed && File.Exists(historyPath))
        {
            (firstEpoch, step, best) = (resumed.Epoch, resumed.Step, (resumed.BestBalancedAccuracy, resumed.BestLoss, resumed.BestEpoch));
            history.AddRange(File.ReadLines(historyPath).Select(l => JsonSerializer.Deserialize<FinetuneEpoch>(l, MetricsJson)!).Where(e => e.Epoch <= firstEpoch));
            File.WriteAllLines(historyPath, history.Select(e => JsonSerializer.Serialize(e, MetricsJson)));
            observer.Message(string.Create(CultureInfo.InvariantCulture, $"Continuing fine-tuning after epoch {firstEpoch} of {options.Epochs}."));
        }
        else
        {
            FinetuneResumePoint.Delete(folder);
            File.Delete(historyPath);
        }

        for (var epoch = firstEpoch; epoch < options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var order = EpochOrder(options, samples, split.Train, epoch);
            model.train();
            if (probe)
            {
                // A frozen encoder also keeps its inference behaviour.
                model.eval();
            }

            var fit = new EpochFit(options, samples, order, channels, size, batch, stepsPerEpoch, epoch, device);
            var (lossSum, correct) = TrainEpoch(fit, model, optimizer, scales, schedule, classWeights, ref step);

            var (validation, validationLoss) = ClassifierPredictor.Predict(model, labels, samples, split.Validation, channels, size, options.Batch, device);
            var metrics = ClassificationMetrics.Compute(validation);
            // Selection on validation only: balanced accuracy first, lower validation loss breaks ties.
            var improved = metrics.BalancedAccuracy > best.BalancedAccuracy || (metrics.BalancedAccuracy == best.BalancedAccuracy && validationLoss < best.Loss);
            if (improved)
            {
                best = (metrics.BalancedAccuracy, validationLoss, epoch + 1);
                ClassifierCheckpoint.Save(modelFolder, State(options, start, labels, trainingFingerprint, epoch + 1, metrics.BalancedAccuracy, validationLoss), model);
            }

            var record = new FinetuneEpoch(epoch + 1, schedule.At(Math.Max(0, step - 1)), lossSum / split.Train.Length, (double)correct / split.Train.Length, validationLoss, metrics.Accuracy, metrics.BalancedAccuracy, clock.Elapsed.TotalSeconds, improved);
            history.Add(record);
            File.AppendAllText(historyPath, JsonSerializer.Serialize(record, MetricsJson) + "\n");
            new FinetuneResumePoint(identity, epoch + 1, step, best.BalancedAccuracy, best.Loss, best.Epoch).Save(folder, model, optimizer);
            observer.EpochCompleted(fold, record, options.Epochs);
        }

        FinetuneResumePoint.Delete(folder);

        var selected = ClassifierCheckpoint.Open(modelFolder);
        observer.Message(string.Create(CultureInfo.InvariantCulture, $"Selected epoch {best.Epoch} (validation balanced accuracy {best.BalancedAccuracy:F3}, loss {best.Loss:F3})."));
        var (test, report) = split.Test.Length > 0 ? TestSelected(options, selected, labels, samples, split.Test, folder, modelFolder, channels, size, device, history) : (null, null);
        return new FinetuneResult(folder, modelFolder, best.Epoch, best.BalancedAccuracy, test, report);
    }

    internal static readonly JsonSerializerOptions MetricsJson = new(Checkpoint.JsonOptions) { WriteIndented = false };

    /// <summary>One epoch of optimizer steps over the shuffled training images; the summed loss and the correct predictions.</summary>
    private static (double LossSum, int Correct) TrainEpoch(
        EpochFit fit, VitClassifier model, KeptScalars.AdamW optimizer, IReadOnlyList<double> scales, LearningRateSchedule schedule, Tensor? classWeights, ref long step)
    {
        var options = fit.Options;
        double lossSum = 0;
        var correct = 0;
        for (var b = 0; b < fit.StepsPerEpoch; b++)
        {
            using var scope = torch.NewDisposeScope();
            var (data, targets, count) = AugmentedBatch(fit, b);
            torch.manual_seed(Seeds.Derive(options.Seed, Seeds.Purpose.Finetune, step));
            var rate = schedule.At(step);
            OptimizerFactory.SetLearningRate(optimizer, rate, scales);
            var target = torch.tensor(targets).to(fit.Device);
            var logits = model.forward(torch.tensor(data, [count, fit.Channels, fit.Size, fit.Size]).to(fit.Device));
            var loss = torch.nn.functional.cross_entropy(logits, target, classWeights, label_smoothing: options.LabelSmoothing);
            optimizer.zero_grad();
            loss.backward();
            if (options.ClipGradient is { } clip)
            {
                torch.nn.utils.clip_grad_norm_(model.parameters().Where(p => p.requires_grad), clip);
            }

            optimizer.step();
            var value = loss.item<float>();
            if (!float.IsFinite(value))
            {
                throw new TrainingException("LossNotFinite", $"The loss became {value} at step {step}; lower the learning rate or set --clip-grad.");
            }

            lossSum += value * count;
            correct += (int)logits.argmax(1).eq(target).sum().item<long>();
            step++;
        }

        return (lossSum, correct);
    }

    /// <summary>Batch <paramref name="index"/> of the epoch: its images augmented (each with its own seed, so the order of work does not matter) and their labels.</summary>
    private static (float[] Data, long[] Targets, int Count) AugmentedBatch(EpochFit fit, int index)
    {
        var chosen = fit.Order.Skip(index * fit.Batch).Take(fit.Batch).ToArray();
        var values = fit.Channels * fit.Size * fit.Size;
        var data = new float[chosen.Length * values];
        var targets = new long[chosen.Length];
        Parallel.For(0, chosen.Length, i =>
        {
            var image = (float[])fit.Samples[chosen[i]].Data.Clone();
            var random = new Random((int)(Seeds.Derive(fit.Options.Seed, Seeds.Purpose.Augmentation, fit.Epoch, (index * fit.Batch) + i) & int.MaxValue));
            ClassifierAugmentation.Apply(fit.Options.Augmentation, image, fit.Channels, fit.Size, random);
            image.CopyTo(data, i * values);
            targets[i] = fit.Samples[chosen[i]].Label;
        });
        return (data, targets, chosen.Length);
    }

    /// <summary>The test split, touched once, by the selected model: predictions, metrics and the evaluation report.</summary>
    private static (ClassificationMetrics? Metrics, string? Report) TestSelected(
        FinetuneOptions options, ClassifierCheckpoint selected, IReadOnlyList<string> labels, IReadOnlyList<ImageSample> samples, int[] test, string folder, string modelFolder, int channels, int size, Device device, IReadOnlyList<FinetuneEpoch> history)
    {
        using var chosenModel = selected.Load();
        chosenModel.to(device);
        var (predictions, _) = ClassifierPredictor.Predict(chosenModel, labels, samples, test, channels, size, options.Batch, device);
        var evaluation = Path.Combine(folder, "evaluation");
        var summary = EvaluationReport.Write(
            evaluation, "GLCM-MAE classifier: test split", modelFolder, "test split", predictions, options.ReportImages ? [.. test.Select(i => samples[i].Data)] : [], size,
            options.PositiveLabel, options.Report ? options.BootstrapResamples : 0, history);
        return (summary.Metrics, Path.Combine(evaluation, EvaluationReport.HtmlFile));
    }

    /// <summary>What one epoch of fine-tuning reads: the settings, the images and this epoch's order of the training split.</summary>
    private sealed record EpochFit(FinetuneOptions Options, IReadOnlyList<ImageSample> Samples, int[] Order, int Channels, int Size, int Batch, int StepsPerEpoch, int Epoch, Device Device);

    internal static int[] EpochOrder(FinetuneOptions options, IReadOnlyList<ImageSample> samples, int[] train, int epoch)
    {
        var random = new Random((int)(Seeds.Derive(options.Seed, Seeds.Purpose.DataOrder, epoch) & int.MaxValue));
        if (options.Balancing != ClassBalancing.Sampler)
        {
            var order = (int[])train.Clone();
            random.Shuffle(order);
            return order;
        }

        // Each draw picks a class uniformly, then an image of that class: every class is equally likely per batch.
        var byClass = train.GroupBy(i => samples[i].Label).Select(g => g.ToArray()).ToArray();
        return [.. Enumerable.Range(0, train.Length).Select(_ =>
        {
            var members = byClass[random.Next(byClass.Length)];
            return members[random.Next(members.Length)];
        })];
    }

    internal static Tensor ClassWeights(IReadOnlyList<ImageSample> samples, int[] train, int classes)
    {
        var counts = new double[classes];
        foreach (var i in train)
        {
            counts[samples[i].Label]++;
        }

        // n / (k n_c), as sklearn's "balanced"; an absent class gets weight 0 (it has no loss terms anyway).
        return torch.tensor(counts.Select(c => c > 0 ? (float)(train.Length / (classes * c)) : 0f).ToArray());
    }

    private static ClassifierState State(
        FinetuneOptions options, FinetuneStart start, IReadOnlyList<string> labels, string trainingFingerprint, int epoch, double balancedAccuracy, double loss) => new()
        {
            Model = start.Config,
            Labels = labels,
            PreprocessingSpec = start.Spec.ToJson(),
            Mode = options.Mode,
            InitialisedFrom = start.Description,
            Seed = options.Seed,
            Epoch = epoch,
            Epochs = options.Epochs,
            ValidationBalancedAccuracy = balancedAccuracy,
            ValidationLoss = loss,
            DatasetFingerprint = trainingFingerprint,
            Created = DateTimeOffset.UtcNow,
        };

    private static void WriteSplits(string folder, string root, IReadOnlyList<string> labels, IReadOnlyList<ImageSample> samples, SplitIndices split)
    {
        var document = new SplitsDocument(root, labels, [.. split.Train.Select(i => samples[i].Source)], [.. split.Validation.Select(i => samples[i].Source)], [.. split.Test.Select(i => samples[i].Source)]);
        File.WriteAllText(Path.Combine(folder, SplitsFile), JsonSerializer.Serialize(document, Checkpoint.JsonOptions));
    }
}
