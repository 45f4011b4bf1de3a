using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Finetuning;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae finetune</c>: a ViT classifier from a pretraining checkpoint, imported weights or scratch, selected on validation.</summary>
internal static class FinetuneCommand
{
    /// <summary>The options' defaults are the run options' own: one source, so the CLI and code callers train alike.</summary>
    private static readonly FinetuneOptions Defaults = new() { Data = string.Empty, Output = string.Empty };

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Labelled dataset: class sub-folders, a labels.csv (path,label[,split]) or az://container/prefix.", Required = true };
        var output = new Option<string?>("--output") { Description = "Run folder (default: <root>/runs/finetune)." };
        var root = CommonOptions.StoreRoot();
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Pretraining checkpoint or run folder whose encoder starts the classifier." };
        var init = new Option<string?>("--init") { Description = Strings.InitDescription };
        var model = new Option<string>("--model") { Description = "Preset when not starting from a checkpoint.", DefaultValueFactory = _ => Defaults.Model };
        model.AcceptOnlyFromAmong([.. ModelPresets.Names]);
        var imageSize = CommonOptions.ImageSize();
        var patchSize = CommonOptions.PatchSize();
        var decodeResolution = CommonOptions.DecodeResolution();
        var channels = new Option<int>("--channels") { Description = Strings.ChannelsDescription, DefaultValueFactory = _ => Defaults.Channels };
        channels.AcceptOnlyFromAmong("1", "3");
        var mode = new Option<string>("--mode") { Description = "full (every layer, layer-wise lr decay) or linear-probe (head only, frozen encoder).", DefaultValueFactory = _ => "full" };
        mode.AcceptOnlyFromAmong("full", "linear-probe");
        var epochs = new Option<int>("--epochs") { Description = "Epochs.", DefaultValueFactory = _ => Defaults.Epochs };
        var batch = new Option<int>("--batch") { Description = Strings.BatchDescription, DefaultValueFactory = _ => Defaults.Batch };
        var blr = new Option<double?>("--blr") { Description = "Base learning rate; peak = blr x batch / 256 (default 1e-3 full, 0.1 linear probe)." };
        var lr = new Option<double?>("--lr") { Description = "Absolute peak learning rate (overrides --blr)." };
        var minLr = new Option<double>("--min-lr") { Description = "Learning rate at the end of the cosine.", DefaultValueFactory = _ => Defaults.MinLearningRate };
        var warmup = new Option<double>("--warmup-epochs") { Description = "Epochs of linear warmup.", DefaultValueFactory = _ => Defaults.WarmupEpochs };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay (not on biases, norms, tokens).", DefaultValueFactory = _ => Defaults.WeightDecay };
        var layerDecay = new Option<double>("--layer-decay") { Description = "Layer-wise lr decay: block k gets decay^(depth + 1 - (k + 1)).", DefaultValueFactory = _ => Defaults.LayerDecay };
        var dropPath = new Option<double>("--drop-path") { Description = "Stochastic depth of the last block.", DefaultValueFactory = _ => Defaults.DropPath };
        var smoothing = new Option<double>("--smoothing") { Description = "Label smoothing.", DefaultValueFactory = _ => Defaults.LabelSmoothing };
        var clip = new Option<double?>("--clip-grad") { Description = "Clip the gradient norm to this value." };
        var noAugment = new Option<bool>("--no-augment") { Description = "Train without augmentation." };
        var magnitude = new Option<double>("--randaug-magnitude") { Description = "RandAugment magnitude (0-10; 0 = no RandAugment).", DefaultValueFactory = _ => Defaults.Augmentation.Magnitude };
        var erasing = new Option<double>("--erasing") { Description = "Random erasing probability.", DefaultValueFactory = _ => Defaults.Augmentation.ErasingProbability };
        var balance = new Option<ClassBalancing>("--balance") { Description = "Class imbalance: none, loss (inverse-frequency weights) or sampler (classes drawn equally).", DefaultValueFactory = _ => Defaults.Balancing };
        var val = new Option<double>("--val") { Description = "Validation fraction (by file or study).", DefaultValueFactory = _ => Defaults.ValidationFraction };
        var test = new Option<double>("--test") { Description = "Test fraction when the manifest has no split column.", DefaultValueFactory = _ => Defaults.TestFraction };
        var splitKey = new Option<string?>("--split-key")
        {
            Description = "Split by a keyed hash of each study (the split pretrain --split-key holds out, and retrain uses), instead of the seeded stratified split: a study keeps its split as data grows.",
        };
        var trainFraction = new Option<double>("--train-fraction") { Description = "Use only this stratified fraction of the training split (label-scarcity experiments).", DefaultValueFactory = _ => Defaults.TrainFraction };
        var folds = new Option<int>("--folds") { Description = "k-fold cross-validation: each fold is the test set once; mean and std reported.", DefaultValueFactory = _ => Defaults.Folds };
        var allFrames = new Option<bool>("--all-frames") { Description = "Every frame of a multi-frame DICOM is an image (frames of a file never cross splits)." };
        var groupBy = new Option<SampleGrouping>("--group-by") { Description = "What never crosses splits: study (DICOM Study Instance UID, else file) or file.", DefaultValueFactory = _ => Defaults.Grouping };
        var positive = new Option<string?>("--positive") { Description = "Class for binary AUROC, sensitivity and specificity (e.g. malignant)." };
        var seed = new Option<long>("--seed") { Description = "Seed for splits, order, augmentation and initialisation.", DefaultValueFactory = _ => Defaults.Seed };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for confidence intervals (0 = none).", DefaultValueFactory = _ => Defaults.BootstrapResamples };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var workers = new Option<int>("--workers") { Description = "Decoding threads (0 = all cores).", DefaultValueFactory = _ => Defaults.Workers };
        var reportImages = CommonOptions.ReportImages();
        var json = CommonOptions.Json();
        var command = new Command("finetune", Strings.FinetuneDescription)
        {
            data, output, root, checkpoint, init, model, channels, imageSize, patchSize, decodeResolution, mode, epochs, batch, blr, lr, minLr, warmup, weightDecay, layerDecay, dropPath, smoothing, clip,
            noAugment, magnitude, erasing, balance, val, test, splitKey, trainFraction, folds, allFrames, groupBy, positive, seed, bootstrap, device, threads, workers, reportImages, json,
        };
        command.SetAction(UserErrors.Handle(RunAsync));
        return command;

        async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
        {
            var console = ConsoleOutput.Create(parseResult);
            TorchEnvironment.ApplyThreads(parseResult.GetValue(threads));
            if (parseResult.GetValue(checkpoint) is not null && parseResult.GetValue(init) is not null)
            {
                throw new ArgumentException("Give --checkpoint or --init, not both.");
            }

            var augment = !parseResult.GetValue(noAugment);
            var options = new FinetuneOptions
            {
                Data = parseResult.GetRequiredValue(data),
                Output = parseResult.GetValue(output) ?? Path.Combine(parseResult.GetRequiredValue(root), "runs", "finetune"),
                Checkpoint = parseResult.GetValue(checkpoint),
                InitFrom = parseResult.GetValue(init),
                Model = parseResult.GetRequiredValue(model),
                ImageSize = parseResult.GetValue(imageSize),
                PatchSize = parseResult.GetValue(patchSize),
                Channels = parseResult.GetValue(channels),
                DecodeResolution = parseResult.GetValue(decodeResolution),
                Mode = parseResult.GetRequiredValue(mode) == "linear-probe" ? FinetuneMode.LinearProbe : FinetuneMode.Full,
                Epochs = Positive(parseResult.GetValue(epochs), "--epochs"),
                Batch = Positive(parseResult.GetValue(batch), "--batch"),
                BaseLearningRate = parseResult.GetValue(blr),
                LearningRate = parseResult.GetValue(lr),
                MinLearningRate = parseResult.GetValue(minLr),
                WarmupEpochs = parseResult.GetValue(warmup),
                WeightDecay = parseResult.GetValue(weightDecay),
                LayerDecay = parseResult.GetValue(layerDecay),
                DropPath = parseResult.GetValue(dropPath),
                LabelSmoothing = parseResult.GetValue(smoothing),
                ClipGradient = parseResult.GetValue(clip),
                Augmentation = augment
                    ? new ClassifierAugmentationOptions
                    {
                        Magnitude = parseResult.GetValue(magnitude),
                        Operations = parseResult.GetValue(magnitude) > 0 ? Defaults.Augmentation.Operations : 0,
                        ErasingProbability = parseResult.GetValue(erasing),
                    }
                    : ClassifierAugmentationOptions.None,
                Balancing = parseResult.GetValue(balance),
                ReportImages = parseResult.GetValue(reportImages),
                ValidationFraction = Fraction(parseResult.GetValue(val), "--val"),
                TestFraction = Fraction(parseResult.GetValue(test), "--test"),
                StableSplit = parseResult.GetValue(splitKey) is { } key
                    ? parseResult.GetValue(folds) < 2 ? new KeyedSplit(key, parseResult.GetValue(val), parseResult.GetValue(test)) : throw new ArgumentException("Give --split-key or --folds, not both: cross-validation makes its own folds.")
                    : null,
                TrainFraction = parseResult.GetValue(trainFraction) is > 0 and <= 1 and var f ? f : throw new ArgumentException("--train-fraction must lie in (0, 1]."),
                Folds = parseResult.GetValue(folds),
                AllFrames = parseResult.GetValue(allFrames),
                Grouping = parseResult.GetValue(groupBy),
                PositiveLabel = parseResult.GetValue(positive),
                Seed = parseResult.GetValue(seed),
                BootstrapResamples = Math.Max(0, parseResult.GetValue(bootstrap)),
                Device = parseResult.GetRequiredValue(device),
                Workers = parseResult.GetValue(workers),
            };
            var quiet = parseResult.GetValue(json);
            var results = await new FinetuneRunner(new FinetuneConsoleObserver(console, quiet)).RunAsync(options, cancellationToken).ConfigureAwait(false);
            CrossValidationSummary? summary = null;
            if (results.Count > 1)
            {
                summary = CrossValidationSummary.From([.. results.Select(r => r.Test!)]);
                await File.WriteAllTextAsync(Path.Combine(options.Output, CrossValidationSummary.FileName), JsonSerializer.Serialize(summary, Checkpoint.JsonOptions), cancellationToken).ConfigureAwait(false);
            }

            if (quiet)
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(new { results, crossValidation = summary }, Checkpoint.JsonOptions)).ConfigureAwait(false);
                return 0;
            }

            foreach (var result in results)
            {
                if (result.Test is { } t)
                {
                    console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"Test ({t.Count} images): accuracy {t.Accuracy:F3}, balanced accuracy {t.BalancedAccuracy:F3}, macro AUROC {t.MacroAuroc:F3}; report {result.Report}")));
                }

                console.MarkupLine(Markup.Escape($"Model: {result.ModelFolder}"));
            }

            if (summary is not null)
            {
                foreach (var (name, (mean, std)) in summary.Figures.Select(f => (f.Key, (f.Value.Mean, f.Value.Std))))
                {
                    console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{summary.Folds}-fold {name}: {mean:F3} +/- {std:F3}")));
                }
            }

            return 0;
        }
    }

    private static int Positive(int value, string name) => value >= 1 ? value : throw new ArgumentException($"{name} must be at least 1.");

    private static double Fraction(double value, string name) => value is >= 0 and < 1 ? value : throw new ArgumentException($"{name} must lie in [0, 1).");
}
