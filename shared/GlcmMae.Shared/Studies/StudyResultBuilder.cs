using System.Security.Cryptography;
using System.Text;
using GlcmMae.Shared.Aggregation;
using GlcmMae.Shared.Contracts;

namespace GlcmMae.Shared.Studies;

/// <summary>
/// Makes a study's result from its instances: the classified ones aggregated by the rule (abstained and failed instances
/// are listed, never aggregated); a decision only when one model classified every aggregated instance, at its
/// operating point; otherwise a note that says why there is none.
/// </summary>
public static class StudyResultBuilder
{
    /// <summary>The study result id: hex SHA-256 of the study key and the revision (the Service Bus MessageId).</summary>
    public static string ResultId(string studyKey, int revision) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"study-result:{studyKey}:{revision}")));

    /// <summary>Builds the result of a claimed revision.</summary>
    public static StudyResult Build(StudyClaim claim, StudyOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(options);
        var classified = claim.Instances.Where(i => i.ErrorCode is null && i.Probabilities is { Count: > 0 }).ToArray();
        var result = new StudyResult
        {
            StudyResultId = ResultId(claim.StudyKey, claim.Revision),
            StudyInstanceUid = claim.StudyInstanceUid,
            Revision = claim.Revision,
            Status = claim.Revision == 1 ? "final" : "amended",
            CompletedBy = claim.Reason,
            Rule = options.Aggregation.ToString(),
            TopK = options.Aggregation == AggregationRule.TopKMean ? options.TopK : null,
            Aggregated = [],
            Instances = claim.Instances,
            CompletedAt = now,
        };
        if (classified.Length == 0)
        {
            return result with { Note = "No instance of the study was classified (every one was refused or failed); see each instance's error code." };
        }

        var labels = classified[0].Probabilities!.Keys.ToArray();
        if (classified.Any(i => i.Probabilities!.Count != labels.Length || labels.Any(l => !i.Probabilities.ContainsKey(l))))
        {
            return result with { Note = "The study's instances were classified by models with different labels; there is no one aggregate." };
        }

        var models = classified.Select(i => (i.ModelName, i.ModelVersion)).Distinct().ToArray();
        var operatingPositive = models.Length == 1 ? classified[0].PositiveLabel : null;
        var positiveLabel = options.PositiveLabel ?? operatingPositive;
        var positive = positiveLabel is null ? -1 : Array.IndexOf(labels, positiveLabel);
        if (ProbabilityAggregation.NeedsPositiveClass(options.Aggregation) && positive < 0)
        {
            return result with
            {
                Note = $"Studies:Aggregation is {options.Aggregation}, which ranks instances by the positive class, and none is known: set Studies:PositiveLabel to one of {string.Join(", ", labels)}.",
            };
        }

        var aggregate = ProbabilityAggregation.Aggregate(classified.Select(i => labels.Select(l => i.Probabilities![l]).ToArray()).ToArray(), options.Aggregation, positive, options.TopK);
        var best = Array.IndexOf(aggregate.Probabilities, aggregate.Probabilities.Max());
        result = result with
        {
            Label = labels[best],
            Probabilities = labels.Select((l, c) => (l, c)).ToDictionary(t => t.l, t => aggregate.Probabilities[t.c]),
            Aggregated = aggregate.Members.Select(m => classified[m].ResultId).ToArray(),
            PositiveLabel = positive >= 0 ? positiveLabel : null,
        };
        if (models.Length > 1)
        {
            return result with { Note = "The study's instances were classified by more than one model version; a decision needs one model's operating point, so there is none." };
        }

        if (classified[0] is { PositiveLabel: { } decisionLabel, DecisionThreshold: { } threshold } && Array.IndexOf(labels, decisionLabel) is var index and >= 0)
        {
            result = result with
            {
                Decision = aggregate.Probabilities[index] >= threshold ? "positive" : "negative",
                PositiveLabel = decisionLabel,
                DecisionThreshold = threshold,
            };
        }

        return result;
    }
}
