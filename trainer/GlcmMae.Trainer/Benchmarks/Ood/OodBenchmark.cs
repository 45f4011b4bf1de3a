using System.Globalization;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Safety;
using GlcmMae.Trainer.Evaluation;

using GlcmMae.Trainer.Serving;

namespace GlcmMae.Trainer.Benchmarks.Ood;

/// <summary>
/// How often a published model abstains on in-distribution scans and on scans it never saw the like of, under its own
/// rule, and how well the energy and maximum-probability scores separate the two (AUROC), measured in one run through
/// the serving code.
/// </summary>
internal static class OodBenchmark
{
    /// <summary>The name of the row of the scans given as in-distribution.</summary>
    public const string InDistribution = "in-distribution";

    /// <summary>Serves <paramref name="inDistribution"/> and <paramref name="perFamily"/> scans of each OOD family with <paramref name="model"/>.</summary>
    public static async Task<(IReadOnlyList<OodBenchmarkRow> Rows, AbstentionRule? Rule)> RunAsync(
        LoadedModel model, IReadOnlyList<string> inDistribution, int perFamily, int scanSize, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inDistribution);
        var rule = model.Manifest.Safety?.Abstention;
        // Served with its calibration but without its abstention, so that every scan's probabilities and scores come
        // back; the model's own rule is then applied to the same numbers serving computes.
        var served = await ServedCopy.StartAsync(model, m => m, o => o.Abstain = false, cancellationToken).ConfigureAwait(false);
        await using (served.ConfigureAwait(false))
        {
            progress?.Report($"{inDistribution.Count} in-distribution scans");
            var reference = await ServeAsync(served.Pipeline, inDistribution.Select(File.ReadAllBytes), cancellationToken).ConfigureAwait(false);
            var rows = new List<OodBenchmarkRow> { Row(InDistribution, inDistribution.Count, reference, null, rule) };
            foreach (var family in OodFamilies.Names)
            {
                progress?.Report($"{perFamily} scans of {family}");
                var scored = await ServeAsync(served.Pipeline, Enumerable.Range(0, perFamily).Select(i => OodFamilies.Scan(family, scanSize, i)), cancellationToken).ConfigureAwait(false);
                rows.Add(Row(family, perFamily, scored, reference, rule));
            }

            return (rows, rule);
        }
    }

    private static async Task<List<IReadOnlyDictionary<string, double>?>> ServeAsync(ScanPipeline pipeline, IEnumerable<byte[]> scans, CancellationToken cancellationToken)
    {
        var scores = new List<IReadOnlyDictionary<string, double>?>();
        var i = 0;
        foreach (var bytes in scans)
        {
            var outcome = await pipeline.ProcessAsync(ScanInput.FromBytes("bench-ood", string.Create(CultureInfo.InvariantCulture, $"scan-{i++}"), bytes), cancellationToken).ConfigureAwait(false);
            scores.Add(outcome.Result?.Assessment?.Scores);
        }

        return scores;
    }

    private static OodBenchmarkRow Row(string family, int count, List<IReadOnlyDictionary<string, double>?> scored, List<IReadOnlyDictionary<string, double>?>? reference, AbstentionRule? rule)
    {
        var kept = scored.Where(s => s is not null).Select(s => s!).ToList();
        static double Value(IReadOnlyDictionary<string, double> scores, OodScoreKind kind) => scores.TryGetValue(kind.ToString(), out var v) ? v : double.NaN;
        // The model's own rule on the numbers serving computed; a score it cannot compute abstains, as serving does.
        var abstained = rule is null ? 0 : kept.Count(s => Value(s, rule.Score) is var v && (double.IsNaN(v) || v > rule.Threshold));
        double? Separation(OodScoreKind kind)
        {
            if (reference is null)
            {
                return null;
            }

            var inside = reference.Where(s => s is not null).Select(s => Value(s!, kind)).ToList();
            var values = kept.Select(s => Value(s, kind)).Concat(inside).ToArray();
            var positive = kept.Select(_ => true).Concat(inside.Select(_ => false)).ToArray();
            return values.Length == 0 || values.Any(double.IsNaN) ? null : Auroc.Compute(values, positive);
        }

        return new OodBenchmarkRow(
            family,
            count,
            count - kept.Count,
            abstained,
            kept.Count - abstained,
            kept.Count == 0 ? 0 : (double)abstained / kept.Count,
            Separation(OodScoreKind.Energy),
            Separation(OodScoreKind.MaxProbability),
            Separation(OodScoreKind.TextureDistance));
    }
}
