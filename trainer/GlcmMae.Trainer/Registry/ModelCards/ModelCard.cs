using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GlcmMae.Shared.Models;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Registry;

namespace GlcmMae.Trainer.Registry.ModelCards;

/// <summary>
/// A version's model card (<c>card.json</c> and <c>card.md</c> in the registry): intended and out-of-scope use, the
/// training data in numbers, test figures with their intervals, calibration, the champion comparison and decision,
/// known limitations, and the lineage that ties it to the exact scans (<c>data.jsonl</c>).
/// </summary>
internal sealed record ModelCard
{
    /// <summary>JSON file name in a registry version.</summary>
    public const string JsonFile = "card.json";

    /// <summary>Markdown file name in a registry version.</summary>
    public const string MarkdownFile = "card.md";

    /// <summary>Model name.</summary>
    public required string Name { get; init; }

    /// <summary>Version.</summary>
    public required string Version { get; init; }

    /// <summary>When it was exported.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>Classes, in output order.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>What it is for.</summary>
    public required string IntendedUse { get; init; }

    /// <summary>What it must not be used for.</summary>
    public required string OutOfScope { get; init; }

    /// <summary>What serving accepts: scans outside it are refused as out of scope (null for models without a recorded scope).</summary>
    public ModelScope? Scope { get; init; }

    /// <summary>The data it was trained, selected and tested on.</summary>
    public required ModelCardData Data { get; init; }

    /// <summary>Test figures with their 95% bootstrap intervals where the run computed them, by name (empty when the run had no test split).</summary>
    public required IReadOnlyDictionary<string, ModelCardFigure> TestMetrics { get; init; }

    /// <summary>Validation balanced accuracy of the selected epoch.</summary>
    public double? ValidationBalancedAccuracy { get; init; }

    /// <summary>The reliability diagram's bins on the test split.</summary>
    public IReadOnlyList<CalibrationBin> Calibration { get; init; } = [];

    /// <summary>What the publish gate decided and on what figures.</summary>
    public required ModelCardDecision Decision { get; init; }

    /// <summary>Calibration, abstention and operating point fitted on validation (the manifest's); null: none.</summary>
    public GlcmMae.Shared.Safety.SafetyProfile? Safety { get; init; }

    /// <summary>Known limitations: the owners' and those the figures show.</summary>
    public required IReadOnlyList<string> Limitations { get; init; }

    /// <summary>Training settings and provenance.</summary>
    public required ModelCardLineage Lineage { get; init; }

    /// <summary>JSON options of cards.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Builds a card from the published manifest, the lineage, the test evaluation and the gate's decision.</summary>
    public static ModelCard Build(
        ModelManifest manifest, IReadOnlyList<SnapshotEntry>? lineage, EvaluationSummary? evaluation, GateDecision decision, ModelCardText text, string? dataSource)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(text);
        var entries = lineage ?? [];
        var data = new ModelCardData
        {
            Source = dataSource,
            Scans = entries.Count,
            Studies = entries.Select(e => e.Group).Distinct(StringComparer.Ordinal).Count(),
            PerSplit = entries.GroupBy(e => e.Split).OrderBy(g => g.Key).ToDictionary(
                g => g.Key.ToString().ToLowerInvariant(),
                g => (IReadOnlyDictionary<string, int>)manifest.Labels.ToDictionary(l => l, l => g.Count(e => e.Label == l), StringComparer.Ordinal)),
            Modalities = entries.GroupBy(e => e.Modality, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            AddedFrom = entries.Count == 0 ? null : entries.Min(e => e.Added),
            AddedTo = entries.Count == 0 ? null : entries.Max(e => e.Added),
            TrainingFingerprint = manifest.DatasetFingerprint,
            TestFingerprint = manifest.EvaluationSetFingerprint,
        };
        var figures = new Dictionary<string, ModelCardFigure>(StringComparer.Ordinal);
        if (manifest.Metrics.TryGetValue("test", out var test))
        {
            // Every test figure goes on the card, with its interval where the run's bootstrap computed one.
            foreach (var (name, value) in test.Where(t => t.Key != "count"))
            {
                figures[name] = evaluation?.Intervals.TryGetValue(name, out var ci) == true ? new ModelCardFigure(ci.Estimate, ci.Lower, ci.Upper) : new ModelCardFigure(value, null, null);
            }
        }

        var limitations = new List<string>(text.Limitations);
        limitations.AddRange(DerivedLimitations(data, evaluation, figures));
        if (manifest.Safety is null)
        {
            limitations.Add("No safety profile was fitted (too few validation scans, or no lineage): serving gives uncalibrated probabilities, never abstains on unfamiliar scans, and makes no positive/negative decision.");
        }
        var training = manifest.Training;
        return new ModelCard
        {
            Name = manifest.Name,
            Version = manifest.Version,
            Created = manifest.Created,
            Labels = manifest.Labels,
            IntendedUse = text.IntendedUse,
            OutOfScope = text.OutOfScope,
            Scope = manifest.Scope,
            Data = data,
            TestMetrics = figures,
            ValidationBalancedAccuracy = manifest.Metrics.TryGetValue("validation", out var validation) && validation.TryGetValue("balancedAccuracy", out var v) ? v : null,
            Calibration = evaluation?.Metrics.Calibration.Where(b => b.Count > 0).ToArray() ?? [],
            Decision = new ModelCardDecision(decision.Promote, decision.Verdict, decision.Reason, decision.Comparison),
            Safety = manifest.Safety,
            Limitations = limitations,
            Lineage = new ModelCardLineage
            {
                DataFile = DatasetSnapshot.FileName,
                Model = training?["model"]?["name"]?.GetValue<string>(),
                InitialisedFrom = training?["initialisedFrom"]?.GetValue<string>(),
                Epoch = training?["epoch"]?.GetValue<int>(),
                Seed = training?["seed"]?.GetValue<long>(),
                PreprocessingHash = manifest.PreprocessingHash,
                OnnxSha256 = manifest.Sha256,
                Opset = manifest.Opset,
                ParityMaxDifference = manifest.Parity?["maxAbsDifference"]?.GetValue<double>(),
            },
        };
    }

    /// <summary>The card as JSON bytes.</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    private static IEnumerable<string> DerivedLimitations(ModelCardData data, EvaluationSummary? evaluation, IReadOnlyDictionary<string, ModelCardFigure> figures)
    {
        yield return "The test figures come from a held-out split of the same data source; they do not show how the model performs at other sites, on other devices or in other populations.";
        if (evaluation is null)
        {
            yield return "The run had no test split: the card has no test figures, and the publish gate could not compare this version with the serving one.";
            yield break;
        }

        var testScans = evaluation.Metrics.Count;
        if (figures.TryGetValue("balancedAccuracy", out var balanced) && balanced is { Lower: { } lower, Upper: { } upper })
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"The test split has {testScans} images; balanced accuracy {balanced.Estimate:F3} has a 95% interval of {lower:F3}-{upper:F3}, and the model's true figure may lie anywhere in it.");
        }

        foreach (var c in evaluation.Metrics.Classes.Where(c => c.Support < 30))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"Only {c.Support} test images of class {c.Label}: its sensitivity ({c.Sensitivity:F2}) is measured coarsely.");
        }

        if (evaluation.Metrics.ExpectedCalibrationError > 0.1)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"Probabilities are poorly calibrated on the test split (expected calibration error {evaluation.Metrics.ExpectedCalibrationError:F3}): read them as a ranking, not as the chance of the class.");
        }

        if (data.Modalities.Count == 1)
        {
            yield return $"Trained on {data.Modalities.Keys.Single()} scans only.";
        }
    }
}

/// <summary>A test figure and its 95% bootstrap interval (null ends when the run computed none).</summary>
/// <param name="Estimate">The figure on the whole test split.</param>
/// <param name="Lower">Lower end.</param>
/// <param name="Upper">Upper end.</param>
internal sealed record ModelCardFigure(double Estimate, double? Lower, double? Upper);

/// <summary>The card's data section: counts per split and class, modalities, when the scans were added, fingerprints.</summary>
internal sealed record ModelCardData
{
    /// <summary>The dataset address (folder, CSV or az://container/prefix).</summary>
    public string? Source { get; init; }

    /// <summary>Scans (files) in the lineage.</summary>
    public int Scans { get; init; }

    /// <summary>Groups (studies, or files without a study).</summary>
    public int Studies { get; init; }

    /// <summary>Scans per split and class.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> PerSplit { get; init; }

    /// <summary>Scans per modality.</summary>
    public required IReadOnlyDictionary<string, int> Modalities { get; init; }

    /// <summary>Earliest time a scan was added to the dataset (never a study date).</summary>
    public DateTimeOffset? AddedFrom { get; init; }

    /// <summary>Latest time a scan was added.</summary>
    public DateTimeOffset? AddedTo { get; init; }

    /// <summary>Fingerprint of the training scans (content and labels).</summary>
    public string? TrainingFingerprint { get; init; }

    /// <summary>Fingerprint of the test scans.</summary>
    public string? TestFingerprint { get; init; }
}

/// <summary>The publish decision on the card.</summary>
/// <param name="Promoted">Whether the version was promoted when published.</param>
/// <param name="Verdict">The gate's verdict.</param>
/// <param name="Reason">Why.</param>
/// <param name="Comparison">The champion comparison, when there was one.</param>
internal sealed record ModelCardDecision(bool Promoted, GateVerdict Verdict, string Reason, ChampionComparison? Comparison);

/// <summary>Where the model came from.</summary>
internal sealed record ModelCardLineage
{
    /// <summary>The lineage file beside the model.</summary>
    public required string DataFile { get; init; }

    /// <summary>Architecture preset.</summary>
    public string? Model { get; init; }

    /// <summary>The pretraining checkpoint or weights it started from.</summary>
    public string? InitialisedFrom { get; init; }

    /// <summary>The selected epoch.</summary>
    public int? Epoch { get; init; }

    /// <summary>The run's seed.</summary>
    public long? Seed { get; init; }

    /// <summary>SHA-256 of the preprocessing spec serving applies.</summary>
    public required string PreprocessingHash { get; init; }

    /// <summary>SHA-256 of model.onnx.</summary>
    public required string OnnxSha256 { get; init; }

    /// <summary>ONNX opset.</summary>
    public int Opset { get; init; }

    /// <summary>Largest probability difference between TorchSharp and ONNX Runtime at export.</summary>
    public double? ParityMaxDifference { get; init; }
}
