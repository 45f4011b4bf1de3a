using System.Diagnostics;
using System.Globalization;
using System.Text;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Finetuning;
using GlcmMae.Trainer.Losses;
using GlcmMae.Trainer.Synthesis;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>
/// The paper's claim on the synthetic texture benchmark: no pretraining vs MAE (MSE) vs GLCM-MAE vs its feature-matching
/// variant, each followed by a linear probe and by fine-tuning with few labels, over several seeds.
/// </summary>
/// <remarks>
/// Per seed: one synthetic dataset; a stratified test split that no arm pretrains on; the rest is the unlabelled
/// pretraining pool, of which a small stratified fraction is labelled (train + validation). Every arm has the same
/// pretraining epochs (the MAE arm runs them all as MSE; GLCM arms run stage 2 from the shared stage-1 checkpoint).
/// </remarks>
internal sealed class SslBenchmark(Action<string> log)
{
    private static readonly string[] Arms = ["none", "mae-mse", "glcm-mae", "glcm-mae-features"];

    public async Task<SslBenchmarkResult> RunAsync(SslBenchmarkOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(options.Output);
        var runs = new List<SslRun>();
        for (var s = 0; s < options.Seeds; s++)
        {
            long seed = s;
            var folder = Path.Combine(options.Output, $"seed-{seed}");
            var data = Path.Combine(folder, "data");
            if (!File.Exists(Path.Combine(data, DatasetManifest.CsvFileName)))
            {
                SynthDatasetWriter.Write(data, options.PerClass, options.ImageSize, SynthFormat.Png, seed: 1000 + seed, cancellationToken: cancellationToken);
            }

            var (pool, finetune) = WriteManifests(data, options, seed);
            log($"seed {seed}: pretraining pool {pool.Count} images; labelled {finetune.Count(r => r.Split != "test")}, test {finetune.Count(r => r.Split == "test")}");
            var checkpoints = await PretrainArmsAsync(options, folder, Path.Combine(data, "pretrain.csv"), seed, cancellationToken).ConfigureAwait(false);
            foreach (var arm in Arms)
            {
                foreach (var mode in new[] { FinetuneMode.LinearProbe, FinetuneMode.Full })
                {
                    var probe = mode == FinetuneMode.LinearProbe;
                    var finetuneOptions = new FinetuneOptions
                    {
                        Data = Path.Combine(data, "finetune.csv"),
                        Output = Path.Combine(folder, "finetune", $"{arm}-{(probe ? "probe" : "full")}"),
                        Checkpoint = checkpoints.GetValueOrDefault(arm),
                        Model = options.Model,
                        Mode = mode,
                        Epochs = probe ? options.ProbeEpochs : options.FinetuneEpochs,
                        Batch = options.FinetuneBatch,
                        LearningRate = probe ? options.ProbeLearningRate : options.FinetuneLearningRate,
                        WarmupEpochs = Math.Min(5, (probe ? options.ProbeEpochs : options.FinetuneEpochs) / 10.0),
                        Augmentation = new ClassifierAugmentationOptions { MinCropScale = options.MinCropScale },
                        PositiveLabel = "malignant",
                        Seed = seed,
                        BootstrapResamples = 0,
                        Device = options.Device,
                    };
                    var result = (await new FinetuneRunner(NullFinetuneObserver.Instance).RunAsync(finetuneOptions, cancellationToken).ConfigureAwait(false))[0];
                    var test = result.Test!;
                    var run = new SslRun(arm, probe ? "linear probe" : "fine-tune", seed, test.Accuracy, test.BalancedAccuracy, test.MacroAuroc, test.PositiveAuroc, test.Count);
                    runs.Add(run);
                    log(string.Create(CultureInfo.InvariantCulture, $"seed {seed} {arm,-18} {run.Mode,-12} accuracy {run.Accuracy:F3} balanced {run.BalancedAccuracy:F3} macro AUROC {run.MacroAuroc:F3}"));
                }
            }
        }

        var rows = runs.GroupBy(r => (r.Arm, r.Mode)).Select(g => Row(g.Key.Arm, g.Key.Mode, [.. g])).ToArray();
        return new SslBenchmarkResult(options, rows, runs, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The table as markdown.</summary>
    public static string Markdown(SslBenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Options;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Synthetic ultrasound texture benchmark (`glcmmae synth`, 3 classes, {o.PerClass} images per class at {o.ImageSize} px), preset `{o.Model}`, {o.Seeds} seeds.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Test split {o.TestFraction:P0} (never pretrained on); {o.LabelledFraction:P0} of the pretraining pool labelled. Pretraining {o.MseEpochs + o.GlcmEpochs} epochs per arm (GLCM arms: {o.MseEpochs} MSE + {o.GlcmEpochs} GLCM). Linear probe {o.ProbeEpochs} epochs (lr {o.ProbeLearningRate:G3}), fine-tuning {o.FinetuneEpochs} epochs (lr {o.FinetuneLearningRate:G3}, batch {o.FinetuneBatch}, the method's recipe with crops of at least {o.MinCropScale:P0} area); checkpoint selected on validation. Mean +/- sample std over seeds; {result.Seconds / 60:F0} minutes on this machine.");
        text.AppendLine();
        text.AppendLine("| pretraining | evaluation | accuracy | balanced accuracy | macro AUROC |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var row in result.Rows)
        {
            var auroc = row.MacroAurocMean is { } mean ? string.Create(CultureInfo.InvariantCulture, $"{mean:F3} +/- {row.MacroAurocStd:F3}") : "n/a";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Arm} | {row.Mode} | {row.AccuracyMean:F3} +/- {row.AccuracyStd:F3} | {row.BalancedAccuracyMean:F3} +/- {row.BalancedAccuracyStd:F3} | {auroc} |");
        }

        return text.ToString();
    }

    private async Task<Dictionary<string, string>> PretrainArmsAsync(SslBenchmarkOptions options, string folder, string pool, long seed, CancellationToken cancellationToken)
    {
        PretrainOptions Options(string name, PretrainStage stage, int epochs) => new()
        {
            Data = pool,
            Output = Path.Combine(folder, "pretrain", name),
            Model = options.Model,
            Stage = stage,
            Epochs = epochs,
            Batch = options.PretrainBatch,
            LearningRate = options.PretrainLearningRate,
            WarmupEpochs = Math.Max(1, epochs / 10.0),
            Seed = seed,
            Device = options.Device,
            Plots = false,
            KeepLast = 1,
        };

        var mae = Options("mae-mse", PretrainStage.Mse, options.MseEpochs + options.GlcmEpochs);
        var stage1 = Options("stage1-mse", PretrainStage.Mse, options.MseEpochs);
        var glcm = Options("glcm-mae", PretrainStage.Glcm, options.GlcmEpochs) with { Resume = stage1.Output };
        var features = Options("glcm-mae-features", PretrainStage.Glcm, options.GlcmEpochs) with
        {
            Resume = stage1.Output,
            // The variant matches the five GLCM features instead of the matrices themselves.
            Loss = PretrainStage.Glcm.DefaultLoss() with { GlcmWeight = 0, FeatureWeight = 1 },
        };
        foreach (var run in new[] { mae, stage1, glcm, features })
        {
            var clock = Stopwatch.StartNew();
            await new PretrainRunner(NullPretrainObserver.Instance).RunAsync(run, cancellationToken).ConfigureAwait(false);
            log(string.Create(CultureInfo.InvariantCulture, $"seed {seed}: pretrained {Path.GetFileName(run.Output)} in {clock.Elapsed.TotalSeconds:F0} s"));
        }

        return new Dictionary<string, string> { ["mae-mse"] = mae.Output, ["glcm-mae"] = glcm.Output, ["glcm-mae-features"] = features.Output };
    }

    private static (IReadOnlyList<string> Pool, IReadOnlyList<(string Path, string Label, string Split)> Finetune) WriteManifests(string data, SslBenchmarkOptions options, long seed)
    {
        var manifest = DatasetManifest.Load(Path.Combine(data, DatasetManifest.CsvFileName));
        var labels = manifest.Labels;
        var samples = manifest.Scans.Select(s =>
        {
            var relative = Path.GetRelativePath(data, s.Path).Replace('\\', '/');
            return new ImageSample(relative, "file:" + relative, labels.IndexOf(s.Label!), [], null);
        }).ToArray();
        var outer = DatasetSplitter.Split(samples, 0, options.TestFraction, seed);
        var labelled = DatasetSplitter.Subsample(samples, outer.Train, options.LabelledFraction, seed);
        var labelledSamples = labelled.Select(i => samples[i]).ToArray();
        var inner = DatasetSplitter.Split(labelledSamples, 0.3, 0, seed);
        var rows = new List<(string, string, string)>();
        rows.AddRange(inner.Train.Select(i => (labelledSamples[i].Source, labels[labelledSamples[i].Label], "train")));
        rows.AddRange(inner.Validation.Select(i => (labelledSamples[i].Source, labels[labelledSamples[i].Label], "val")));
        rows.AddRange(outer.Test.Select(i => (samples[i].Source, labels[samples[i].Label], "test")));
        var pool = outer.Train.Select(i => samples[i].Source).ToArray();
        File.WriteAllLines(Path.Combine(data, "pretrain.csv"), ["path", .. pool]);
        File.WriteAllLines(Path.Combine(data, "finetune.csv"), ["path,label,split", .. rows.Select(r => $"{r.Item1},{r.Item2},{r.Item3}")]);
        return (pool, rows);
    }

    private static SslRow Row(string arm, string mode, IReadOnlyList<SslRun> runs)
    {
        static (double Mean, double Std) Spread(IReadOnlyList<double> values)
        {
            var mean = values.Average();
            return (mean, values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0);
        }

        var accuracy = Spread([.. runs.Select(r => r.Accuracy)]);
        var balanced = Spread([.. runs.Select(r => r.BalancedAccuracy)]);
        (double Mean, double Std)? auroc = runs.All(r => r.MacroAuroc is not null) ? Spread([.. runs.Select(r => r.MacroAuroc!.Value)]) : null;
        return new SslRow(arm, mode, runs.Count, accuracy.Mean, accuracy.Std, balanced.Mean, balanced.Std, auroc?.Mean, auroc?.Std);
    }
}
