using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GlcmMae.Trainer.Benchmarks;
using GlcmMae.Trainer.Losses;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Synthesis;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae bench ssl</c>: does GLCM-MAE pretraining help a classifier with few labels, on synthetic texture data?</summary>
internal static class BenchSslCommand
{
    private static readonly SslBenchmarkOptions Defaults = new() { Output = string.Empty };

    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "Folder for data, runs, bench-ssl.json and bench-ssl.md.", DefaultValueFactory = _ => Path.Combine(".glcmmae", "bench-ssl") };
        var data = new Option<string?>("--data") { Description = "Your labelled dataset (class folders, a CSV of path,label, DICOM or PNG, or az://container/prefix) instead of synthetic images; a test split per seed is never pretrained on." };
        var family = new Option<SynthFamily>("--family") { Description = "Synthetic family without --data: Ultrasound (lesion texture) or Texture (full-field textures, one histogram, differing only in co-occurrence).", DefaultValueFactory = _ => Defaults.Family };
        var noAugment = new Option<bool>("--no-augment") { Description = "Fine-tune and probe without augmentation (always so for --family texture: crops and RandAugment change the texture the classes differ in)." };
        var seeds = new Option<int>("--seeds") { Description = "Seeds (datasets, splits, initialisations) to average over.", DefaultValueFactory = _ => Defaults.Seeds };
        var perClass = new Option<int>("--per-class") { Description = "Synthetic images per class.", DefaultValueFactory = _ => Defaults.PerClass };
        var size = new Option<int>("--size") { Description = "Synthetic image side.", DefaultValueFactory = _ => Defaults.ImageSize };
        var labelled = new Option<string>("--labelled")
        {
            Description = "Labelled fraction of the pretraining pool, or several to sweep (0.05,0.1,0.2): the same pretrained encoders are fine-tuned with each.",
            DefaultValueFactory = _ => string.Join(',', Defaults.LabelledFractions.Select(f => f.ToString(CultureInfo.InvariantCulture))),
        };
        var model = new Option<string>("--model") { Description = Strings.ModelDescription, DefaultValueFactory = _ => Defaults.Model };
        model.AcceptOnlyFromAmong([.. ModelPresets.Names]);
        var imageSize = CommonOptions.ImageSize();
        var patchSize = CommonOptions.PatchSize();
        var mseEpochs = new Option<int>("--mse-epochs") { Description = "Stage-1 (MSE) pretraining epochs.", DefaultValueFactory = _ => Defaults.MseEpochs };
        var glcmEpochs = new Option<int>("--glcm-epochs") { Description = "Stage-2 (GLCM) epochs; the MAE arm runs them as more MSE.", DefaultValueFactory = _ => Defaults.GlcmEpochs };
        var bins = new Option<int>("--bins") { Description = "GLCM bins K of the stage-2 arms (the method: 256).", DefaultValueFactory = _ => Defaults.Glcm.Bins };
        var normalise = new Option<GlcmNormalisation>("--glcm-normalise") { Description = "How the stage-2 arms scale the GLCM term: cells (the method) or pixels (comparable across --bins; equal at 256 bins and 16 px patches).", DefaultValueFactory = _ => Defaults.Glcm.Normalisation };
        var region = new Option<GlcmRegion>("--glcm-region") { Description = "What one GLCM of the stage-2 arms counts pairs over: patch (the method) or image (all masked patches of an image pooled).", DefaultValueFactory = _ => Defaults.Glcm.Region };
        var wGlcm = new Option<double>("--w-glcm") { Description = "GLCM weight of the glcm-mae arm's stage 2 (the method: 1).", DefaultValueFactory = _ => Defaults.StageTwoLoss.GlcmWeight };
        var wSsim = new Option<double>("--w-ssim") { Description = "SSIM weight of the glcm-mae arm's stage 2 (the method: 1; 0 turns it off).", DefaultValueFactory = _ => Defaults.StageTwoLoss.SsimWeight };
        var wMse = new Option<double>("--w-mse") { Description = "MSE weight of the glcm-mae arm's stage 2 (the method: 0.1).", DefaultValueFactory = _ => Defaults.StageTwoLoss.MseWeight };
        var pretrainBatch = new Option<int>("--pretrain-batch") { Description = "Pretraining batch of every arm.", DefaultValueFactory = _ => Defaults.PretrainBatch };
        var pretrainLr = new Option<double>("--pretrain-lr") { Description = "Peak pretraining learning rate of every arm (the same for both stages).", DefaultValueFactory = _ => Defaults.PretrainLearningRate };
        var finetuneEpochs = new Option<int>("--finetune-epochs") { Description = "Fine-tuning epochs.", DefaultValueFactory = _ => Defaults.FinetuneEpochs };
        var probeEpochs = new Option<int>("--probe-epochs") { Description = "Linear-probe epochs.", DefaultValueFactory = _ => Defaults.ProbeEpochs };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("ssl", Strings.BenchSslDescription) { output, data, family, noAugment, seeds, perClass, size, labelled, model, imageSize, patchSize, mseEpochs, glcmEpochs, bins, normalise, region, wGlcm, wSsim, wMse, pretrainBatch, pretrainLr, finetuneEpochs, probeEpochs, device, threads, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            TorchEnvironment.ApplyThreads(parseResult.GetValue(threads));
            var console = ConsoleOutput.Create(parseResult);
            var quiet = parseResult.GetValue(json);
            var options = new SslBenchmarkOptions
            {
                Output = parseResult.GetRequiredValue(output),
                Seeds = parseResult.GetValue(seeds),
                Data = parseResult.GetValue(data),
                Family = parseResult.GetValue(family),
                NoAugmentation = parseResult.GetValue(noAugment),
                PerClass = parseResult.GetValue(perClass),
                ImageSize = parseResult.GetValue(size),
                LabelledFractions = ParseFractions(parseResult.GetRequiredValue(labelled)),
                Model = parseResult.GetRequiredValue(model),
                ModelImageSize = parseResult.GetValue(imageSize),
                ModelPatchSize = parseResult.GetValue(patchSize),
                MseEpochs = parseResult.GetValue(mseEpochs),
                GlcmEpochs = parseResult.GetValue(glcmEpochs),
                StageTwoLoss = Defaults.StageTwoLoss with { GlcmWeight = parseResult.GetValue(wGlcm), SsimWeight = parseResult.GetValue(wSsim), MseWeight = parseResult.GetValue(wMse) },
                Glcm = Defaults.Glcm with { Bins = parseResult.GetValue(bins), Normalisation = parseResult.GetValue(normalise), Region = parseResult.GetValue(region) },
                PretrainBatch = parseResult.GetValue(pretrainBatch),
                PretrainLearningRate = parseResult.GetValue(pretrainLr),
                FinetuneEpochs = parseResult.GetValue(finetuneEpochs),
                ProbeEpochs = parseResult.GetValue(probeEpochs),
                Device = parseResult.GetRequiredValue(device),
            };
            var result = await new SslBenchmark(line =>
            {
                if (!quiet)
                {
                    console.MarkupLine(Markup.Escape(line));
                }
            }).RunAsync(options, cancellationToken).ConfigureAwait(false);
            var serialized = JsonSerializer.Serialize(result, Checkpoint.JsonOptions);
            await File.WriteAllTextAsync(Path.Combine(options.Output, "bench-ssl.json"), serialized, cancellationToken).ConfigureAwait(false);
            var markdown = SslBenchmark.Markdown(result);
            await File.WriteAllTextAsync(Path.Combine(options.Output, "bench-ssl.md"), markdown, cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(quiet ? serialized : markdown).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>Comma-separated fractions in (0, 1].</summary>
    internal static double[] ParseFractions(string text)
    {
        var fractions = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 1
                ? value
                : throw new ArgumentException($"--labelled '{part}' is not a fraction in (0, 1]; give one or several, comma-separated (0.1,0.2)."))
            .Distinct()
            .ToArray();
        return fractions.Length > 0 ? fractions : throw new ArgumentException("--labelled needs at least one fraction.");
    }
}
