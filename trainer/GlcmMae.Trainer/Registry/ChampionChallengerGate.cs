using System.Globalization;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Evaluation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GlcmMae.Trainer.Registry;

/// <summary>
/// The publish gate: the serving model (the champion) and the candidate are run on the same images, the candidate's
/// test split, through the serving code (the same <see cref="ScanPipeline"/>: decode, each model's own preprocessing,
/// ONNX Runtime), and the candidate is promoted only when it is not worse by more than a tolerance, with a paired
/// bootstrap over the test studies deciding "not worse".
/// </summary>
/// <remarks>
/// The rule is non-inferiority: promote when the interval's lower end of (candidate - champion) is at least
/// -tolerance. A candidate that is probably as good but measured on too few studies to show it is refused as
/// inconclusive, and a test split with fewer than the minimum images of some class is refused before any figure is
/// computed: a scheduled job must never replace a model on evidence that cannot carry the decision. Because the test
/// split is stable as data grows (<see cref="KeyedSplit"/>), every earlier test study is in the candidate's test split
/// too, and the champion is re-measured on it rather than trusted from its own, older figure.
/// </remarks>
internal static class ChampionChallengerGate
{
    /// <summary>Decides whether the published <paramref name="candidate"/> replaces the serving version.</summary>
    /// <param name="registry">The registry both versions are published in.</param>
    /// <param name="candidate">The candidate's manifest (published already, as the serving code loads it from the registry).</param>
    /// <param name="lineage">The candidate's <c>data.jsonl</c>, or null when it has none.</param>
    /// <param name="datasetRoot">The folder the lineage's paths are relative to.</param>
    /// <param name="options">Metric, tolerance, minimum per class, resamples.</param>
    /// <param name="cancellationToken">Stops the evaluation.</param>
    public static async Task<GateDecision> DecideAsync(
        ModelRegistry registry, ModelManifest candidate, IReadOnlyList<SnapshotEntry>? lineage, string? datasetRoot, GateOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var current = await registry.GetCurrentAsync(candidate.Name, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return new GateDecision(true, GateVerdict.FirstModel, "first model of this name");
        }

        var championVersion = current.Value.Current.Version;
        var champion = await registry.GetManifestAsync(candidate.Name, championVersion, cancellationToken).ConfigureAwait(false);
        if (!champion.Labels.Order(StringComparer.Ordinal).SequenceEqual(candidate.Labels.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return new GateDecision(false, GateVerdict.ClassesDiffer, $"the candidate predicts {string.Join(", ", candidate.Labels)} but the serving {championVersion} predicts {string.Join(", ", champion.Labels)}; a change of classes needs a person: promote by hand (glcmmae models promote)");
        }

        var test = lineage?.Where(e => e.Split == SnapshotUse.Test).ToArray() ?? [];
        if (test.Length == 0 || datasetRoot is null)
        {
            return new GateDecision(false, GateVerdict.NoTestSplit, "the candidate has no test split (data.jsonl) to compare it with the serving model on; promote by hand if you trust it");
        }

        var perClass = candidate.Labels.ToDictionary(l => l, l => test.Count(e => e.Label == l), StringComparer.Ordinal);
        var scarce = perClass.Where(c => c.Value < options.MinimumPerClass).ToArray();
        if (scarce.Length > 0)
        {
            return new GateDecision(false, GateVerdict.TooFewImages, string.Create(CultureInfo.InvariantCulture,
                $"the test split is too small to decide: {string.Join(", ", scarce.Select(c => $"{c.Key} {c.Value}"))} test scans, below the minimum of {options.MinimumPerClass} per class; add labelled data, lower --gate-min-per-class, or promote by hand"));
        }

        var scans = new List<string>(test.Length);
        foreach (var entry in test)
        {
            var path = Path.Combine(datasetRoot, entry.Path);
            var exists = File.Exists(path);
            if (!exists || !string.Equals(await ModelRegistry.HashFileAsync(path, cancellationToken).ConfigureAwait(false), entry.Sha256, StringComparison.Ordinal))
            {
                return new GateDecision(false, GateVerdict.NoTestSplit, $"{(exists ? "a test scan changed" : "a test scan is missing")} since training ({entry.Sha256[..12]}); retrain on the data as it is now");
            }

            scans.Add(path);
        }

        var candidateRun = await ClassifyAsync(registry, candidate.Name, candidate.Version, candidate.Labels, scans, options.ExecutionProvider, cancellationToken).ConfigureAwait(false);
        var championRun = await ClassifyAsync(registry, candidate.Name, championVersion, candidate.Labels, scans, options.ExecutionProvider, cancellationToken).ConfigureAwait(false);
        // A scan either model could not classify is left out of both: the comparison stays paired.
        var kept = Enumerable.Range(0, test.Length).Where(i => candidateRun[i] is not null && championRun[i] is not null).ToArray();
        var truth = kept.Select(i => candidate.Labels.IndexOf(test[i].Label)).ToArray();
        var candidatePredictions = new Predictions(candidate.Labels, truth, [.. kept.Select(i => candidateRun[i]!)]);
        var championPredictions = new Predictions(candidate.Labels, truth, [.. kept.Select(i => championRun[i]!)]);
        var keptPerClass = candidate.Labels.Select((_, c) => truth.Count(t => t == c)).ToArray();
        if (keptPerClass.Any(n => n < options.MinimumPerClass))
        {
            return new GateDecision(false, GateVerdict.TooFewImages, string.Create(CultureInfo.InvariantCulture,
                $"{test.Length - kept.Length} test scans could not be classified by one of the models, leaving fewer than {options.MinimumPerClass} of some class; see the serving errors (glcmmae classify) or promote by hand"));
        }

        var difference = PairedBootstrap.Compare(candidatePredictions, championPredictions, [.. kept.Select(i => test[i].Group)], options.Metric, options.Resamples, options.Level, options.Seed);
        var comparison = new ChampionComparison
        {
            Metric = options.Metric.Name(),
            ChampionVersion = championVersion,
            Candidate = difference.Candidate,
            Champion = difference.Baseline,
            Difference = difference.Difference,
            Lower = difference.Lower,
            Upper = difference.Upper,
            Level = options.Level,
            Tolerance = options.Tolerance,
            Images = kept.Length,
            Groups = difference.Groups,
            Resamples = difference.Resamples,
            EvaluationSetFingerprint = DatasetSnapshot.Fingerprint(kept.Select(i => test[i])),
        };
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"{comparison.Metric} {comparison.Candidate:F4} vs {comparison.Champion:F4} of {championVersion} on the same {comparison.Images} test scans: difference {comparison.Difference:+0.0000;-0.0000} ({comparison.Level * 100:0}% CI {comparison.Lower:+0.0000;-0.0000} to {comparison.Upper:+0.0000;-0.0000}), tolerance {comparison.Tolerance:F4}");
        return Judge(comparison.Difference, comparison.Lower, options.Tolerance) switch
        {
            GateVerdict.NotWorse => new GateDecision(true, GateVerdict.NotWorse, "not worse: " + figures, comparison),
            GateVerdict.Worse => new GateDecision(false, GateVerdict.Worse, "worse than the serving model: " + figures, comparison),
            _ => new GateDecision(false, GateVerdict.Inconclusive, "not shown to be not worse (the interval reaches below the tolerance; more test studies would decide): " + figures, comparison),
        };
    }

    /// <summary>The rule: not worse when the interval's lower end is at least -tolerance; worse when the difference itself is below it; otherwise undecided.</summary>
    internal static GateVerdict Judge(double difference, double lower, double tolerance) =>
        lower >= -tolerance ? GateVerdict.NotWorse : difference < -tolerance ? GateVerdict.Worse : GateVerdict.Inconclusive;

    /// <summary>Each scan's class probabilities from one published version, in <paramref name="labels"/>' order; null where serving refused the scan.</summary>
    private static async Task<double[]?[]> ClassifyAsync(
        ModelRegistry registry, string name, string version, IReadOnlyList<string> labels, IReadOnlyList<string> scans, ExecutionProviderChoice provider, CancellationToken cancellationToken)
    {
        // Every test scan is classified by both models: abstention is a serving policy, not a quality to compare here.
        var serving = Options.Create(new ServingOptions { ModelName = name, PinnedVersion = version, ExecutionProvider = provider, MicroBatching = false, Abstain = false });
        var host = new ModelHost(registry, serving, NullLogger<ModelHost>.Instance);
        await using (host.ConfigureAwait(false))
        {
            // The pipeline logs blob names; these scans get neutral names, and its log goes nowhere.
            var pipeline = new ScanPipeline(host, serving, NullLogger<ScanPipeline>.Instance);
            var rows = new double[]?[scans.Count];
            for (var i = 0; i < scans.Count; i++)
            {
                var bytes = await File.ReadAllBytesAsync(scans[i], cancellationToken).ConfigureAwait(false);
                var outcome = await pipeline.ProcessAsync(ScanInput.FromBytes("publish-gate", string.Create(CultureInfo.InvariantCulture, $"test-{i}"), bytes), cancellationToken).ConfigureAwait(false);
                if (outcome.Result is { } result)
                {
                    rows[i] = [.. labels.Select(l => result.Prediction.Probabilities[l])];
                }
            }

            return rows;
        }
    }
}
