using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Export;
using GlcmMae.Trainer.Finetuning;
using GlcmMae.Trainer.Hosting;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Registry;
using GlcmMae.Trainer.Runs;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae retrain</c>: what the scheduled job runs: pretrain (MSE, then GLCM), fine-tune, evaluate, export, publish, promote if not worse.</summary>
internal static class RetrainCommand
{
    /// <summary>The setting (GLCMMAE_Training__Data in the job, set by infra/) naming the training data as container/prefix.</summary>
    public const string DataSetting = "Training:Data";

    /// <summary>The setting (GLCMMAE_Models__Name in the job, set by infra/) naming the model.</summary>
    public const string ModelNameSetting = "Models:Name";

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = $"Labelled dataset: folder, CSV or az://container/prefix (default: the {DataSetting} setting, as container/prefix)." };
        var name = new Option<string?>("--name") { Description = $"Model name in the registry (default: the {ModelNameSetting} setting, else glcmmae-classifier)." };
        var store = CommonOptions.Store();
        var root = CommonOptions.StoreRoot();
        var output = new Option<string?>("--output") { Description = "Work folder (default: <root>/retrain/<UTC date>). Its checkpoints are copied to the run store (container 'runs' with --store azure, else <root>/runs) as they are written, so a retried job, even on a fresh disk, continues from the newest one." };
        var model = new Option<string>("--model") { Description = Strings.ModelDescription, DefaultValueFactory = _ => "small" };
        model.AcceptOnlyFromAmong([.. ModelPresets.Names]);
        var mseEpochs = new Option<int>("--mse-epochs") { Description = "Stage-1 (MSE) pretraining epochs.", DefaultValueFactory = _ => 100 };
        var glcmEpochs = new Option<int>("--glcm-epochs") { Description = "Stage-2 (GLCM) pretraining epochs.", DefaultValueFactory = _ => 100 };
        var finetuneEpochs = new Option<int>("--finetune-epochs") { Description = "Fine-tuning epochs.", DefaultValueFactory = _ => 100 };
        var finetuneRate = new Option<double?>("--finetune-lr") { Description = "Peak fine-tuning learning rate (default: 1e-3 x batch / 256, as MAE fine-tuning)." };
        var finetuneAugment = new Option<bool>("--finetune-augment")
        {
            Description = "Random crops, flips, RandAugment and erasing while fine-tuning (on by default; turn off where they change what tells the classes apart, such as speckle size or brightness).",
            DefaultValueFactory = _ => true,
        };
        var batch = new Option<int>("--batch") { Description = Strings.BatchDescription, DefaultValueFactory = _ => 64 };
        var positive = new Option<string?>("--positive") { Description = "Class for binary figures (e.g. malignant), and the class serving decides on at the operating point chosen on validation." };
        var safety = new SafetyCliOptions(positive);
        var reportImages = CommonOptions.ReportImages();
        var publishing = new PublishOptions();
        var seed = new Option<long>("--seed") { Description = "Seed of the run (splits stay comparable across retrains with the same seed).", DefaultValueFactory = _ => 0 };
        var fromChampion = new Option<bool>("--from-champion")
        {
            Description = "Warm start: skip MSE pretraining and start GLCM pretraining from the serving model's pretraining checkpoint (stored with every version retrain publishes), so a nightly job does not pay the full pretraining again. Without one, the run pretrains in full.",
        };
        var splitKey = new Option<string>("--split-key") { Description = "Key of the stable split: each study's train/val/test split is a keyed hash of its Study Instance UID (else its path), so a study keeps its split in every later retrain as data grows. Change it only to reshuffle every split.", DefaultValueFactory = _ => "glcmmae" };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("retrain", Strings.RetrainDescription)
        {
            data, name, store, root, output, model, mseEpochs, glcmEpochs, finetuneEpochs, finetuneRate, finetuneAugment, batch, positive, seed, splitKey, fromChampion, device, threads, json,
        };
        foreach (var option in publishing.All.Concat(safety.All(includePositive: false)).Append(reportImages))
        {
            command.Options.Add(option);
        }

        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            TorchEnvironment.ApplyThreads(parseResult.GetValue(threads));
            var console = ConsoleOutput.Create(parseResult);
            var quiet = parseResult.GetValue(json);
            var configuration = TrainerSettings.Read();
            var source = parseResult.GetValue(data) ?? DataFromSettings(configuration)
                ?? throw new ArgumentException($"Give --data or set {DataSetting} (GLCMMAE_Training__Data: container/prefix of the training data).");
            var modelName = parseResult.GetValue(name) ?? (configuration[ModelNameSetting] is { Length: > 0 } configured ? configured : "glcmmae-classifier");
            var rootFolder = parseResult.GetRequiredValue(root);
            var work = parseResult.GetValue(output) ?? Path.Combine(rootFolder, "retrain", DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
            var seedValue = parseResult.GetValue(seed);
            var deviceName = parseResult.GetRequiredValue(device);
            // Settings are checked before hours of training, not after.
            var settings = publishing.Settings(parseResult, source);
            void Say(string text)
            {
                if (!quiet)
                {
                    console.MarkupLine(Markup.Escape(text));
                }
            }

            // One stable split for the whole run: pretraining sees the training split only, fine-tuning and evaluation
            // use the same split, and a study keeps its split in every later retrain.
            var split = new KeyedSplit(parseResult.GetRequiredValue(splitKey), validationFraction: 0.15, testFraction: 0.15);
            var stage1 = new PretrainOptions
            {
                Data = source,
                Output = Path.Combine(work, "pretrain-mse"),
                Model = parseResult.GetRequiredValue(model),
                Stage = PretrainStage.Mse,
                Epochs = parseResult.GetValue(mseEpochs),
                Batch = parseResult.GetValue(batch),
                Seed = seedValue,
                HeldOut = split,
                Device = deviceName,
                Bf16 = deviceName != "cpu" && CudaAvailable(),
            };
            var stage2 = stage1 with { Output = Path.Combine(work, "pretrain-glcm"), Stage = PretrainStage.Glcm, Resume = stage1.Output, Epochs = parseResult.GetValue(glcmEpochs) };
            // The work folder is copied to the run store after every pretraining checkpoint and fine-tuning epoch: a
            // retried job on a fresh disk continues.
            var storeKind = parseResult.GetRequiredValue(store);
            var mirror = await RunStores.OpenAsync(storeKind, rootFolder, modelName, work, null, cancellationToken).ConfigureAwait(false);
            var restored = await mirror.RestoreAsync(cancellationToken).ConfigureAwait(false);
            if (restored > 0)
            {
                Say($"Continuing the run from its copy in {mirror.Location} ({restored} files restored).");
            }

            var registry = await ModelStores.OpenAsync(storeKind, rootFolder, cancellationToken).ConfigureAwait(false);
            PretrainOptions[] stages = [stage1, stage2];
            if (parseResult.GetValue(fromChampion))
            {
                var champion = await ChampionPretraining.FetchAsync(registry, modelName, Path.Combine(work, "champion-pretraining"), cancellationToken).ConfigureAwait(false);
                if (champion is { } start)
                {
                    // Weights only: GLCM pretraining starts from the champion's encoder with a fresh optimizer and schedule.
                    stages = [stage2 with { Resume = start.Folder }];
                    Say($"Starting GLCM pretraining from the pretraining checkpoint of the serving {start.Version}.");
                }
                else
                {
                    Say($"{modelName} has no serving version with a pretraining checkpoint: pretraining in full.");
                }
            }

            foreach (var stage in stages)
            {
                Say($"Pretraining ({stage.Stage}, {stage.Epochs} epochs) into {stage.Output}...");
                using var log = new MetricsLog(stage.Output);
                var copy = new MirroringObserver(mirror, stage.Output, cancellationToken);
                var result = await new PretrainRunner(quiet ? new CompositeObserver(log, copy) : new CompositeObserver(log, copy, new PretrainProgress(console, null, 50))).RunAsync(stage, cancellationToken).ConfigureAwait(false);
                Say($"  {result.Steps} steps, last loss {result.LastLoss:G4}");
            }

            var finetuneFolder = Path.Combine(work, "finetune");
            Say($"Fine-tuning into {finetuneFolder}...");
            var finetune = (await new FinetuneRunner(new MirroringFinetuneObserver(new FinetuneConsoleObserver(console, quiet), mirror, finetuneFolder, cancellationToken)).RunAsync(
                new FinetuneOptions
                {
                    Data = source,
                    Output = finetuneFolder,
                    Checkpoint = stage2.Output,
                    Epochs = parseResult.GetValue(finetuneEpochs),
                    LearningRate = parseResult.GetValue(finetuneRate),
                    Augmentation = parseResult.GetValue(finetuneAugment) ? new ClassifierAugmentationOptions() : ClassifierAugmentationOptions.None,
                    Batch = Math.Max(8, parseResult.GetValue(batch) / 2),
                    PositiveLabel = parseResult.GetValue(positive),
                    ReportImages = parseResult.GetValue(reportImages),
                    Seed = seedValue,
                    StableSplit = split,
                    Device = deviceName,
                },
                cancellationToken).ConfigureAwait(false))[0];
            var export = await ModelExporter.ExportAsync(finetuneFolder, Path.Combine(finetuneFolder, "export"), modelName, safety.Read(parseResult), cancellationToken).ConfigureAwait(false);
            Say($"Safety: {export.SafetyNote}");
            await using var events = ModelEventPublishers.Open(publishing.Events(parseResult), rootFolder);
            var pretrained = Checkpoint.Latest(stage2.Output)?.Path;
            var published = await Publisher.PublishAsync(registry, export, settings with { PretrainingCheckpoint = pretrained }, events.Publisher, cancellationToken).ConfigureAwait(false);
            Diagnostics.TrainingTelemetry.Publication(published.Name, published.Promoted);
            // Published: the run is finished, and its copy is no longer needed to continue it.
            await mirror.DeleteAsync(cancellationToken).ConfigureAwait(false);
            if (quiet)
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(new { test = finetune.Test, report = finetune.Report, parity = export.Parity, published }, Checkpoint.JsonOptions)).ConfigureAwait(false);
            }
            else
            {
                Say($"Published {published.Name} {published.Version} to {published.Store}: {(published.Promoted ? "promoted" : "not promoted")} ({published.Reason}).");
            }

            return 0;
        }));
        return command;
    }

    private static bool CudaAvailable() => TorchSharp.torch.cuda.is_available();

    /// <summary>The job's data setting as a blob address: "container/prefix" becomes az://container/prefix.</summary>
    internal static string? DataFromSettings(Microsoft.Extensions.Configuration.IConfiguration configuration) => configuration[DataSetting] is { Length: > 0 } value
        ? value.Contains("://", StringComparison.Ordinal) || Directory.Exists(value) || File.Exists(value) ? value : "az://" + value.TrimStart('/')
        : null;
}
