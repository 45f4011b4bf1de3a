using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GlcmMae.Shared.Texture;
using GlcmMae.Trainer.Losses;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae pretrain</c>: one stage of GLCM-MAE pretraining (stage 1 MSE, stage 2 GLCM resuming stage 1).</summary>
internal static class PretrainCommand
{
    /// <summary>The options' defaults are the run options' own: one source, so the CLI and code callers train alike.</summary>
    private static readonly PretrainOptions Defaults = new() { Data = string.Empty, Output = string.Empty };

    private static readonly GlcmLossOptions GlcmDefaults = new();

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = Strings.PretrainDataDescription, Required = true };
        var output = new Option<string?>("--output") { Description = Strings.PretrainOutputDescription };
        var root = CommonOptions.StoreRoot();
        var model = new Option<string>("--model") { Description = Strings.ModelDescription, DefaultValueFactory = _ => Defaults.Model };
        model.AcceptOnlyFromAmong([.. ModelPresets.Names]);
        var imageSize = CommonOptions.ImageSize();
        var patchSize = CommonOptions.PatchSize();
        var decodeResolution = CommonOptions.DecodeResolution();
        var channels = new Option<int>("--channels") { Description = Strings.ChannelsDescription, DefaultValueFactory = _ => Defaults.Channels };
        channels.AcceptOnlyFromAmong("1", "3");
        var stage = new Option<PretrainStage>("--stage") { Description = Strings.StageDescription, DefaultValueFactory = _ => Defaults.Stage };
        var epochs = new Option<int>("--epochs") { Description = "Epochs to train.", DefaultValueFactory = _ => Defaults.Epochs };
        var batch = new Option<int>("--batch") { Description = Strings.BatchDescription, DefaultValueFactory = _ => Defaults.Batch };
        var accumulation = new Option<int>("--accumulation") { Description = "Micro-batches per optimiser step.", DefaultValueFactory = _ => Defaults.Accumulation };
        var resume = new Option<string?>("--resume") { Description = Strings.ResumeDescription };
        var init = new Option<string?>("--init") { Description = Strings.InitDescription };
        var blr = new Option<double>("--blr") { Description = "Base learning rate; peak = blr x effective batch / 256.", DefaultValueFactory = _ => Defaults.BaseLearningRate };
        var lr = new Option<double?>("--lr") { Description = "Absolute peak learning rate (overrides --blr)." };
        var minLr = new Option<double>("--min-lr") { Description = "Learning rate at the end of the cosine.", DefaultValueFactory = _ => Defaults.MinLearningRate };
        var warmup = new Option<double>("--warmup-epochs") { Description = "Epochs of linear warmup.", DefaultValueFactory = _ => Defaults.WarmupEpochs };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay (not on biases and norms).", DefaultValueFactory = _ => Defaults.WeightDecay };
        var clip = new Option<double?>("--clip-grad") { Description = "Clip the gradient norm to this value." };
        var maskRatio = new Option<double>("--mask-ratio") { Description = "Fraction of patches masked.", DefaultValueFactory = _ => Defaults.MaskRatio };
        var wGlcm = new Option<double?>("--w-glcm") { Description = "GLCM weight (stage glcm default 1; 0 turns it off)." };
        var wSsim = new Option<double?>("--w-ssim") { Description = "SSIM weight (stage glcm default 1)." };
        var wMse = new Option<double?>("--w-mse") { Description = "MSE weight (stage mse 1, stage glcm 0.1)." };
        var wFeatures = new Option<double?>("--w-features") { Description = "GLCM feature-matching weight (default 0)." };
        var bins = new Option<int>("--bins") { Description = Strings.BinsDescription, DefaultValueFactory = _ => GlcmDefaults.Bins };
        var sharpness = new Option<string>("--sharpness") { Description = "GLCM kernel sharpness L, or START:END for a curriculum over the epochs.", DefaultValueFactory = _ => "30" };
        var offsets = new Option<string>("--offsets") { Description = "GLCM pixel pairs as distance:angle, angles 0/45/90/135, 270 = straight down (default 1:0,1:270: the method's horizontal and vertical pairs).", DefaultValueFactory = _ => "1:0,1:270" };
        var normalise = new Option<GlcmNormalisation>("--glcm-normalise")
        {
            Description = "How the GLCM term is scaled: cells (the method: mean over the K x K entries) or pixels (entries divided by the pixels per patch and summed, equal to cells at K = 256 with 16 px patches, and comparable across --bins and --patch-size).",
            DefaultValueFactory = _ => GlcmDefaults.Normalisation,
        };
        var region = new Option<GlcmRegion>("--glcm-region")
        {
            Description = "What one GLCM counts pairs over: patch (the method: each masked patch) or image (all masked patches of an image pooled, far less sampling noise; dense form, memory grows with K).",
            DefaultValueFactory = _ => GlcmDefaults.Region,
        };
        var noScale = new Option<bool>("--no-scale") { Description = "Compare raw soft counts instead of f(G) = G(S - G)/S." };
        var normPix = new Option<bool>("--norm-pix") { Description = "MSE against per-patch normalised targets." };
        var seed = new Option<long>("--seed") { Description = "Run seed.", DefaultValueFactory = _ => Defaults.Seed };
        var device = CommonOptions.Device();
        var bf16 = new Option<bool>("--bf16") { Description = "Mixed precision: the transformer's Linear layers in bfloat16 (for GPUs; weights, norms and losses stay float32)." };
        var threads = CommonOptions.Threads();
        var keepLast = new Option<int>("--keep-last") { Description = "Checkpoints to keep.", DefaultValueFactory = _ => Defaults.KeepLast };
        var workers = new Option<int>("--workers") { Description = "Background decoding threads (0 = half the cores).", DefaultValueFactory = _ => Defaults.Workers };
        var augment = new Option<AugmentationMode>("--augment") { Description = "Train-time augmentation: none (the method), flip, mae (random resized crop + flip).", DefaultValueFactory = _ => Defaults.Augmentation };
        var logEvery = new Option<int>("--log-every") { Description = "Steps between progress lines when the output is not a terminal (metrics.jsonl gets every step).", DefaultValueFactory = _ => Defaults.LogEvery };
        var noPlots = new Option<bool>("--no-plots") { Description = "Skip the loss-curve and reconstruction PNGs." };
        var maxSteps = new Option<long?>("--max-steps") { Description = "Stop after this many optimiser steps (smoke runs)." };
        var splitKey = new Option<string?>("--split-key")
        {
            Description = "Hold out the validation and test studies of this keyed split (give finetune the same --split-key, --val and --test): the encoder then never sees the images the classifier is evaluated on. Without it, every scan is pretrained on.",
        };
        var val = new Option<double>("--val") { Description = "Validation fraction of the --split-key split.", DefaultValueFactory = _ => 0.15 };
        var test = new Option<double>("--test") { Description = "Test fraction of the --split-key split.", DefaultValueFactory = _ => 0.15 };
        var json = CommonOptions.Json();
        var command = new Command("pretrain", Strings.PretrainDescription)
        {
            data, output, root, model, channels, imageSize, patchSize, decodeResolution, stage, epochs, batch, accumulation, resume, init, blr, lr, minLr, warmup, weightDecay, clip,
            maskRatio, wGlcm, wSsim, wMse, wFeatures, bins, normalise, region, sharpness, offsets, noScale, normPix, seed, device, bf16, threads, keepLast, workers,
            augment, logEvery, noPlots, maxSteps, splitKey, val, test, json,
        };
        command.SetAction(UserErrors.Handle(RunAsync));
        return command;

        async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
        {
            var console = ConsoleOutput.Create(parseResult);
            TorchEnvironment.ApplyThreads(parseResult.GetValue(threads));
            var selectedStage = parseResult.GetValue(stage);
            var defaults = selectedStage.DefaultLoss();
            var schedule = SharpnessSchedule.Parse(parseResult.GetValue(sharpness)!);
            var loss = defaults with
            {
                GlcmWeight = parseResult.GetValue(wGlcm) ?? defaults.GlcmWeight,
                SsimWeight = parseResult.GetValue(wSsim) ?? defaults.SsimWeight,
                MseWeight = parseResult.GetValue(wMse) ?? defaults.MseWeight,
                FeatureWeight = parseResult.GetValue(wFeatures) ?? defaults.FeatureWeight,
                NormalisePixels = parseResult.GetValue(normPix),
                Glcm = defaults.Glcm with
                {
                    Bins = parseResult.GetValue(bins),
                    Normalisation = parseResult.GetValue(normalise),
                    Region = parseResult.GetValue(region),
                    Sharpness = schedule.End,
                    Scale = !parseResult.GetValue(noScale),
                    Offsets = ParseOffsets(parseResult.GetValue(offsets)!),
                },
            };
            var options = new PretrainOptions
            {
                HeldOut = parseResult.GetValue(splitKey) is { } key ? new Data.KeyedSplit(key, parseResult.GetValue(val), parseResult.GetValue(test)) : null,
                Data = parseResult.GetRequiredValue(data),
                Output = parseResult.GetValue(output) ?? Path.Combine(parseResult.GetRequiredValue(root), "runs", $"pretrain-{selectedStage.ToString().ToLowerInvariant()}"),
                Model = parseResult.GetRequiredValue(model),
                ImageSize = parseResult.GetValue(imageSize),
                PatchSize = parseResult.GetValue(patchSize),
                Channels = parseResult.GetValue(channels),
                DecodeResolution = parseResult.GetValue(decodeResolution),
                Stage = selectedStage,
                Epochs = parseResult.GetValue(epochs),
                Batch = parseResult.GetValue(batch),
                Accumulation = parseResult.GetValue(accumulation),
                Resume = parseResult.GetValue(resume),
                InitFrom = parseResult.GetValue(init),
                BaseLearningRate = parseResult.GetValue(blr),
                LearningRate = parseResult.GetValue(lr),
                MinLearningRate = parseResult.GetValue(minLr),
                WarmupEpochs = parseResult.GetValue(warmup),
                WeightDecay = parseResult.GetValue(weightDecay),
                ClipGradient = parseResult.GetValue(clip),
                MaskRatio = parseResult.GetValue(maskRatio),
                Loss = loss.Validate(),
                Sharpness = schedule,
                Seed = parseResult.GetValue(seed),
                Device = parseResult.GetRequiredValue(device),
                Bf16 = parseResult.GetValue(bf16),
                KeepLast = parseResult.GetValue(keepLast),
                Workers = parseResult.GetValue(workers),
                Augmentation = parseResult.GetValue(augment),
                LogEvery = parseResult.GetValue(logEvery),
                Plots = !parseResult.GetValue(noPlots),
                MaxSteps = parseResult.GetValue(maxSteps),
            };
            PretrainResult result;
            using var log = new MetricsLog(options.Output);
            if (console.Profile.Capabilities.Interactive && !parseResult.GetValue(json))
            {
                PretrainResult? finished = null;
                await console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async context =>
                        finished = await new PretrainRunner(new CompositeObserver(log, new PretrainProgress(console, context, options.LogEvery)))
                            .RunAsync(options, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                result = finished!;
            }
            else
            {
                IPretrainObserver observer = parseResult.GetValue(json) ? log : new CompositeObserver(log, new PretrainProgress(console, null, options.LogEvery));
                result = await new PretrainRunner(observer).RunAsync(options, cancellationToken).ConfigureAwait(false);
            }

            if (parseResult.GetValue(json))
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(result, Checkpoint.JsonOptions)).ConfigureAwait(false);
            }
            else
            {
                console.MarkupLine(Markup.Escape($"Done: {result.Steps} steps; checkpoint {result.Checkpoint}; metrics {Path.Combine(result.RunFolder, MetricsLog.FileName)}"));
                foreach (var plot in result.Plots)
                {
                    console.MarkupLine(Markup.Escape($"Plot: {plot}"));
                }
            }

            return 0;
        }
    }

    /// <summary>Parses <c>distance:angle</c> pairs, e.g. <c>1:0,1:90</c>; angle 270 means straight down (the method's vertical pair).</summary>
    internal static GlcmOffset[] ParseOffsets(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(part =>
        {
            var pieces = part.Split(':');
            if (pieces.Length != 2 || !int.TryParse(pieces[0], CultureInfo.InvariantCulture, out var distance) || distance < 1
                || !int.TryParse(pieces[1], CultureInfo.InvariantCulture, out var angle))
            {
                throw new ArgumentException($"GLCM offset '{part}' is not distance:angle (for example 1:0).");
            }

            return angle == 270 ? new GlcmOffset(distance, 0) : GlcmOffset.FromAngle(distance, angle);
        })
        .ToArray();
}
