using System.Text.Json;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Privacy;

namespace GlcmMae.Shared.Studies;

/// <summary>A study result as the message published to <c>study-results</c>, with its UIDs pseudonymised when privacy asks.</summary>
public static class StudyMessages
{
    /// <summary>The result with the study's and instances' UIDs replaced by their pseudonyms.</summary>
    public static StudyResult Pseudonymise(StudyResult result, Pseudonymiser pseudonymiser)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(pseudonymiser);
        string? P(string? uid) => uid is null ? null : pseudonymiser.Pseudonym(uid);
        return result with
        {
            StudyInstanceUid = pseudonymiser.Pseudonym(result.StudyInstanceUid),
            Instances = result.Instances.Select(i => i with { SopInstanceUid = P(i.SopInstanceUid), SeriesInstanceUid = P(i.SeriesInstanceUid) }).ToArray(),
        };
    }

    /// <summary>The message: id = the result id (a republished revision is a duplicate), subject = decision or label, filterable properties.</summary>
    public static TopicMessage ToMessage(StudyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var properties = new Dictionary<string, object>
        {
            ["schemaVersion"] = result.SchemaVersion,
            ["revision"] = result.Revision,
            ["status"] = result.Status,
            ["instances"] = result.Instances.Count,
            ["label"] = result.Label ?? string.Empty,
        };
        if (result.Decision is { } decision)
        {
            properties["decision"] = decision;
        }

        var subject = result.Decision ?? result.Label ?? "unclassified";
        return new TopicMessage(Topics.StudyResults, result.StudyResultId, subject, "application/json", JsonSerializer.SerializeToUtf8Bytes(result, ContractJson.Options), properties);
    }
}
