using System.Diagnostics;
using System.Globalization;
using System.Text;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Finetuning;
using GlcmMae.Trainer.Losses;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Reports;
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
    /// <summary>One seed's split: the classes, the unlabelled pretraining pool and the labelled rows (train, val, test).</summary>
    private sealed record SslSplit(List<string> Labels, IReadOnlyList<string> Pool, IReadOnlyList<(string Path, string Label, string Split)> Finetune, double Labelled, string Manifest, string Tag);

    private static readonly string[] Arms = ["none", "mae-mse", "glcm-mae", "glcm-mae-features"];

    public async Task<SslBenchmarkResult> RunAsync(SslBenchmarkOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(options.Output);
        var userData = options.Data is { } given ? Path.GetFullPath(await DatasetSource.ResolveAsync(given, null, null, cancellationToken).ConfigureAwait(false)) : null;
        var dataset = Describe(options);
        var runs = new List<SslRun>();
        var fidelity = new List<SslFidelity>();
        IReadOnlyList<string> labels = [];
        for (var s = 0; s < options.Seeds; s++)
        {
            long seed = s;
            var folder = Path.GetFullPath(Path.Combine(options.Output, $"seed-{seed}"));
            var data = userData ?? Path.Combine(folder, "data");
            if (userData is null && !File.Exists(Path.Combine(data, DatasetManifest.CsvFileName)))
            {
                SynthDatasetWriter.Write(data, options.PerClass, options.ImageSize, SynthFormat.Png, 1000 + seed, SynthFamilies.Create(options.Family), cancellationToken: cancellationToken);
            }

            var splits = WriteManifests(data, folder, options, seed);
            labels = splits[0].Labels;
            foreach (var split in splits)
            {
                log(string.Create(CultureInfo.InvariantCulture, $"seed {seed}: pretraining pool {split.Pool.Count} images; labelled ({split.Labelled:P0}) {split.Finetune.Count(r => r.Split != "test")}, test {split.Finetune.Count(r => r.Split == "test")}"));
            }

            var checkpoints = await PretrainArmsAsync(options, folder, Path.Combine(folder, "pretrain.csv"), seed, cancellationToken).ConfigureAwait(false);
            var testFiles = splits[0].Finetune.Where(r => r.Split == "test").Select(r => r.Path).Take(options.FidelityImages).ToArray();
            foreach (var (arm, run) in checkpoints.OrderBy(c => Array.IndexOf(Arms, c.Key)))
            {
                var measures = await ReconstructionFidelity.MeasureAsync(run, testFiles, seed, options.Device, cancellationToken).ConfigureAwait(false);
                fidelity.Add(new SslFidelity(arm, seed, measures));
                log(string.Create(CultureInfo.InvariantCulture, $"seed {seed} {arm,-18} reconstruction: masked MSE {measures.MaskedMse:F4}, GLCM distance {measures.GlcmDistance:F3}, contrast error {measures.ContrastError:F3}, spectrum distance {measures.SpectrumDistance:F3}"));
            }
            foreach (var split in splits)
            {
                foreach (var arm in Arms)
                {
                    foreach (var mode in new[] { FinetuneMode.LinearProbe, FinetuneMode.Full })
                    {
                        runs.Add(await FinetuneArmAsync(options, folder, arm, checkpoints.GetValueOrDefault(arm), mode, split, seed, cancellationToken).ConfigureAwait(false));
                    }
                }

                runs.Add(GlcmFeatureArm(options, split, seed, cancellationToken));
            }
        }

        var rows = runs.GroupBy(r => (r.Labelled, r.Arm, r.Mode)).Select(g => Row(g.Key.Arm, g.Key.Mode, [.. g]) with { Labelled = g.Key.Labelled }).ToArray();
        return new SslBenchmarkResult(options, dataset, rows, Compare(runs, labels, options), fidelity, runs, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The pairs of arms compared on the same images: each pretraining against none, and GLCM-MAE against MAE.</summary>
    private static readonly (string A, string B)[] Pairs =
    [
        ("none", "mae-mse"), ("none", "glcm-mae"), ("none", "glcm-mae-features"), ("mae-mse", "glcm-mae"), ("mae-mse", "glcm-mae-features"),
    ];

    private static string Describe(SslBenchmarkOptions options) =>
        options.Data is not null ? "the given labelled dataset"
        : options.Family == SynthFamily.Texture ? string.Create(CultureInfo.InvariantCulture, $"synthetic texture-only family (`glcmmae synth --family texture`: 4 classes of one histogram, differing only in correlation length and direction), {options.PerClass} images per class at {options.ImageSize} px")
        : string.Create(CultureInfo.InvariantCulture, $"synthetic ultrasound texture benchmark (`glcmmae synth`, 3 classes differing in lesion texture), {options.PerClass} images per class at {options.ImageSize} px");

    private async Task<SslRun> FinetuneArmAsync(
        SslBenchmarkOptions options, string folder, string arm, string? checkpoint, FinetuneMode mode, SslSplit split, long seed, CancellationToken cancellationToken)
    {
        var probe = mode == FinetuneMode.LinearProbe;
        var labels = split.Labels;
        var finetuneOptions = new FinetuneOptions
        {
            Data = split.Manifest,
            Output = Path.Combine(folder, "finetune", $"{arm}-{(probe ? "probe" : "full")}{split.Tag}"),
            Checkpoint = checkpoint,
            Model = options.Model,
            ImageSize = options.ModelImageSize,
            PatchSize = options.ModelPatchSize,
            Mode = mode,
            Epochs = probe ? options.ProbeEpochs : options.FinetuneEpochs,
            Batch = options.FinetuneBatch,
            LearningRate = probe ? options.ProbeLearningRate : options.FinetuneLearningRate,
            WarmupEpochs = Math.Min(5, (probe ? options.ProbeEpochs : options.FinetuneEpochs) / 10.0),
            Augmentation = options.ClassifierAugmentation,
            PositiveLabel = labels.Contains("malignant") ? "malignant" : null,
            Seed = seed,
            BootstrapResamples = 0,
            Device = options.Device,
        };
        // A run a previous invocation finished is read back, so a benchmark stopped part-way (or extended) resumes.
        var evaluation = Path.Combine(finetuneOptions.Output, "evaluation");
        var finished = File.Exists(Path.Combine(evaluation, "predictions.json")) && File.Exists(Path.Combine(evaluation, EvaluationReport.MetricsFile));
        var test = finished
            ? System.Text.Json.JsonSerializer.Deserialize<EvaluationSummary>(File.ReadAllText(Path.Combine(evaluation, EvaluationReport.MetricsFile)), RunJson.Options)!.Metrics
            : (await new FinetuneRunner(NullFinetuneObserver.Instance).RunAsync(finetuneOptions, cancellationToken).ConfigureAwait(false))[0].Test!;
        var run = new SslRun(arm, probe ? "linear probe" : "fine-tune", seed, test.Accuracy, test.BalancedAccuracy, test.MacroAuroc, test.PositiveAuroc, test.Count)
        {
            Labelled = split.Labelled,
            Images = ReadPredictions(Path.Combine(evaluation, "predictions.json"), labels),
        };
        log(string.Create(CultureInfo.InvariantCulture, $"seed {seed} {arm,-18} {run.Mode,-12} accuracy {run.Accuracy:F3} balanced {run.BalancedAccuracy:F3} macro AUROC {run.MacroAuroc:F3}"));
        return run;
    }

    /// <summary>The reference arm: a softmax regression on GLCM features of the same preprocessed images, the same labels, no network.</summary>
    private SslRun GlcmFeatureArm(SslBenchmarkOptions options, SslSplit split, long seed, CancellationToken cancellationToken)
    {
        var preprocessor = new Preprocessor(PretrainRunner.SpecFor(ModelPresets.Get(options.Model, 1, options.ModelImageSize, options.ModelPatchSize)));
        double[] Features(string path)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = preprocessor.Run(ScanDocument.Open(File.ReadAllBytes(path)));
            return GlcmFeatureVector.Compute(image.Data.AsSpan(0, image.Width * image.Height), image.Width, image.Height);
        }

        var labelled = split.Finetune.Where(r => r.Split != "test").ToArray();
        var test = split.Finetune.Where(r => r.Split == "test").ToArray();
        var model = SoftmaxRegression.Fit([.. labelled.Select(r => Features(r.Path))], [.. labelled.Select(r => split.Labels.IndexOf(r.Label))], split.Labels.Count);
        var images = test.ToDictionary(r => r.Path, r => (split.Labels.IndexOf(r.Label), model.Probabilities(Features(r.Path))), StringComparer.Ordinal);
        var metrics = ClassificationMetrics.Compute(new Predictions(split.Labels, [.. images.Values.Select(v => v.Item1)], [.. images.Values.Select(v => v.Item2)]));
        var run = new SslRun("glcm-features", "feature probe", seed, metrics.Accuracy, metrics.BalancedAccuracy, null, null, metrics.Count)
        {
            Labelled = split.Labelled,
            Images = images,
        };
        log(string.Create(CultureInfo.InvariantCulture, $"seed {seed} {run.Arm,-18} {run.Mode,-12} accuracy {run.Accuracy:F3} balanced {run.BalancedAccuracy:F3}"));
        return run;
    }

    /// <summary>The test images of a fine-tuning run's <c>predictions.json</c>: true class and probabilities in <paramref name="labels"/>' order.</summary>
    private static Dictionary<string, (int Truth, double[] Probabilities)> ReadPredictions(string path, IReadOnlyList<string> labels)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var images = new Dictionary<string, (int, double[])>(StringComparer.Ordinal);
        foreach (var row in document.RootElement.EnumerateArray())
        {
            var probabilities = row.GetProperty("probabilities");
            images[row.GetProperty("source").GetString()!] = (
                labels.Select((l, i) => (l, i)).First(t => t.l == row.GetProperty("truth").GetString()).i,
                [.. labels.Select(l => probabilities.GetProperty(l).GetDouble())]);
        }

        return images;
    }

    /// <summary>Each pair of arms in each mode, pooled over seeds: every test image of every seed that both arms classified.</summary>
    private static IReadOnlyList<SslComparison> Compare(IReadOnlyList<SslRun> runs, IReadOnlyList<string> labels, SslBenchmarkOptions options)
    {
        var comparisons = new List<SslComparison>();
        foreach (var (labelled, mode) in runs.Select(r => r.Labelled).Distinct().SelectMany(l => new[] { (l, "linear probe"), (l, "fine-tune") }))
        {
            foreach (var (a, b) in Pairs)
            {
                var (truth, first, second) = (new List<int>(), new List<double[]>(), new List<double[]>());
                foreach (var seed in runs.Select(r => r.Seed).Distinct())
                {
                    var runA = runs.FirstOrDefault(r => r.Arm == a && r.Mode == mode && r.Seed == seed && r.Labelled == labelled);
                    var runB = runs.FirstOrDefault(r => r.Arm == b && r.Mode == mode && r.Seed == seed && r.Labelled == labelled);
                    if (runA is null || runB is null)
                    {
                        continue;
                    }

                    foreach (var (image, (t, probabilities)) in runA.Images.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        if (runB.Images.TryGetValue(image, out var other))
                        {
                            truth.Add(t);
                            first.Add(probabilities);
                            second.Add(other.Probabilities);
                        }
                    }
                }

                if (truth.Count > 0)
                {
                    comparisons.Add(new SslComparison(mode, a, b, PairedComparison.Compute(new Predictions(labels, [.. truth], [.. first]), new Predictions(labels, [.. truth], [.. second]), options.PairedResamples)) { Labelled = labelled });
                }
            }
        }

        return comparisons;
    }

    /// <summary>The table as markdown.</summary>
    public static string Markdown(SslBenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Options;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Data: {result.Dataset}; preset `{o.Model}`, {o.Seeds} seeds.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Test split {o.TestFraction:P0} (never pretrained on); {string.Join(", ", o.LabelledFractions.Select(l => l.ToString("P0", CultureInfo.InvariantCulture)))} of the pretraining pool labelled. Pretraining {o.MseEpochs + o.GlcmEpochs} epochs per arm (GLCM arms: {o.MseEpochs} MSE + {o.GlcmEpochs} GLCM). Linear probe {o.ProbeEpochs} epochs (lr {o.ProbeLearningRate:G3}), fine-tuning {o.FinetuneEpochs} epochs (lr {o.FinetuneLearningRate:G3}, batch {o.FinetuneBatch}, {(o.ClassifierAugmentation.Enabled ? $"the method's recipe with crops of at least {o.MinCropScale:P0} area" : "no augmentation")}); checkpoint selected on validation. Mean +/- sample std over seeds; {result.Seconds / 60:F0} minutes on this machine.");
        text.AppendLine();
        text.AppendLine("| labelled | pretraining | evaluation | accuracy | balanced accuracy | macro AUROC |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in result.Rows)
        {
            var auroc = row.MacroAurocMean is { } mean ? string.Create(CultureInfo.InvariantCulture, $"{mean:F3} +/- {row.MacroAurocStd:F3}") : "n/a";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Labelled:P0} | {row.Arm} | {row.Mode} | {row.AccuracyMean:F3} +/- {row.AccuracyStd:F3} | {row.BalancedAccuracyMean:F3} +/- {row.BalancedAccuracyStd:F3} | {auroc} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Texture fidelity of each pretrained encoder-decoder's reconstructions of up to {o.FidelityImages} test images per seed (mask ratio 0.75, the same masks for every arm), on the masked patches; means over seeds. Lower is better in every column: masked MSE is what plain MAE minimises; the others measure texture (GLCM L1 distance 0-2, contrast error relative to the truth's contrast, entropy error in bits, radially averaged log10 power-spectrum distance).");
        text.AppendLine();
        text.AppendLine("| pretraining | masked MSE | GLCM distance | contrast error | entropy error | homogeneity error | spectrum distance |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var arm in result.Fidelity.GroupBy(f => f.Arm))
        {
            double Mean(Func<TextureFidelity, double> value) => arm.Average(f => value(f.Measures));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {arm.Key} | {Mean(m => m.MaskedMse):F4} | {Mean(m => m.GlcmDistance):F3} | {Mean(m => m.ContrastError):F3} | {Mean(m => m.EntropyError):F3} | {Mean(m => m.HomogeneityError):F3} | {Mean(m => m.SpectrumDistance):F3} |");
        }

        text.AppendLine();
        text.AppendLine("`glcm-features` is no network: a softmax regression on 20 GLCM features of the same preprocessed images and labels, the texture baseline.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Paired comparisons on the same test images, all seeds pooled: balanced accuracy of B minus A with a {o.PairedResamples}-resample paired bootstrap 95 % interval, and McNemar's exact test on the images only one of them classifies correctly.");
        text.AppendLine();
        text.AppendLine("| labelled | evaluation | A | B | images | B - A | 95 % interval | only A right | only B right | McNemar p |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var c in result.Comparisons)
        {
            var p = c.Paired;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {c.Labelled:P0} | {c.Mode} | {c.A} | {c.B} | {p.Images} | {SignedFigure.Format(p.Difference)} | [{SignedFigure.Format(p.Lower)}, {SignedFigure.Format(p.Upper)}] | {p.OnlyA} | {p.OnlyB} | {p.McNemarP:G3} |");
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
            ImageSize = options.ModelImageSize,
            PatchSize = options.ModelPatchSize,
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
        var glcm = Options("glcm-mae", PretrainStage.Glcm, options.GlcmEpochs) with
        {
            Resume = stage1.Output,
            Loss = options.StageTwoLoss with { Glcm = options.Glcm },
        };
        var features = Options("glcm-mae-features", PretrainStage.Glcm, options.GlcmEpochs) with
        {
            Resume = stage1.Output,
            // The variant matches the five GLCM features instead of the matrices themselves.
            Loss = PretrainStage.Glcm.DefaultLoss() with { GlcmWeight = 0, FeatureWeight = 1, Glcm = options.Glcm },
        };
        foreach (var run in new[] { mae, stage1, glcm, features })
        {
            var clock = Stopwatch.StartNew();
            // metrics.jsonl per arm: the terms and their gradient norms, for diagnosing a stage after the fact.
            using (var metrics = new MetricsLog(run.Output))
            {
                await new PretrainRunner(metrics).RunAsync(run, cancellationToken).ConfigureAwait(false);
            }

            log(string.Create(CultureInfo.InvariantCulture, $"seed {seed}: pretrained {Path.GetFileName(run.Output)} in {clock.Elapsed.TotalSeconds:F0} s"));
        }

        return new Dictionary<string, string> { ["mae-mse"] = mae.Output, ["glcm-mae"] = glcm.Output, ["glcm-mae-features"] = features.Output };
    }

    /// <summary>
    /// Splits the dataset for one seed and writes <c>pretrain.csv</c> (the unlabelled pool) and, per labelled fraction,
    /// <c>finetune.csv</c> (labelled train/val, and the test split no arm pretrains on; <c>finetune-l{fraction}.csv</c>
    /// when several fractions are swept) into <paramref name="folder"/>. The test split and the pool are the same for
    /// every fraction.
    /// </summary>
    private static IReadOnlyList<SslSplit> WriteManifests(string data, string folder, SslBenchmarkOptions options, long seed)
    {
        var manifest = DatasetManifest.Load(data);
        var root = File.Exists(data) ? Path.GetDirectoryName(Path.GetFullPath(data))! : data;
        var labels = manifest.Labels;
        var scans = manifest.Scans.Where(s => s.Label is not null).ToArray();
        if (labels.Count < 2)
        {
            throw new DatasetFormatException($"The benchmark needs labelled scans of at least two classes; '{data}' has {labels.Count}.");
        }

        // Grouped by file, keyed by the dataset-relative path: the same split as the benchmark has always drawn.
        var samples = scans.Select(s =>
        {
            var relative = Path.GetRelativePath(root, s.Path).Replace('\\', '/');
            return new ImageSample(relative, "file:" + relative, labels.IndexOf(s.Label!), [], null);
        }).ToArray();
        string Full(ImageSample sample) => Path.GetFullPath(Path.Combine(root, sample.Source));
        var outer = DatasetSplitter.Split(samples, 0, options.TestFraction, seed);
        var pool = outer.Train.Select(i => Full(samples[i])).ToArray();
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, "pretrain.csv"), ["path", .. pool.Select(Quote)]);
        var splits = new List<SslSplit>();
        foreach (var fraction in options.LabelledFractions)
        {
            var labelled = DatasetSplitter.Subsample(samples, outer.Train, fraction, seed);
            var labelledSamples = labelled.Select(i => samples[i]).ToArray();
            var inner = DatasetSplitter.Split(labelledSamples, 0.3, 0, seed);
            var rows = new List<(string Path, string Label, string Split)>();
            rows.AddRange(inner.Train.Select(i => (Full(labelledSamples[i]), labels[labelledSamples[i].Label], "train")));
            rows.AddRange(inner.Validation.Select(i => (Full(labelledSamples[i]), labels[labelledSamples[i].Label], "val")));
            rows.AddRange(outer.Test.Select(i => (Full(samples[i]), labels[samples[i].Label], "test")));
            var tag = options.LabelledFractions.Count == 1 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"-l{fraction:0.###}");
            var csv = Path.Combine(folder, $"finetune{tag}.csv");
            File.WriteAllLines(csv, ["path,label,split", .. rows.Select(r => $"{Quote(r.Path)},{r.Label},{r.Split}")]);
            splits.Add(new SslSplit([.. labels], pool, rows, fraction, csv, tag));
        }

        return splits;
    }

    private static string Quote(string path) => path.Contains(',', StringComparison.Ordinal)
        ? throw new DatasetFormatException("A scan path holds a comma, which the benchmark's CSV manifests cannot carry; rename the folder.")
        : path;

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
