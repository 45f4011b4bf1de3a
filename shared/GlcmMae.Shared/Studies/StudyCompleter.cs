using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Fhir;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Privacy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GlcmMae.Shared.Studies;

/// <summary>
/// Records instance outcomes per study and publishes one result per complete study revision: claim (under the study
/// row's ETag), build, publish with a deterministic message id, mark published. A completer that dies between claim and
/// mark leaves a claim that goes stale and is published again under the same id, which the topic drops as a duplicate.
/// </summary>
/// <remarks>With <c>Fhir:Reports</c> on (the default), the study's DiagnosticReport goes to <c>fhir-results</c> with the same id, before the study is marked published.</remarks>
public sealed partial class StudyCompleter(StudyLedger ledger, IMessagePublisher publisher, IOptions<StudyOptions> options, IOptions<PrivacyOptions> privacy, ILogger<StudyCompleter> logger, TimeProvider? time = null, IOptions<FhirOptions>? fhir = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Pseudonymiser? _pseudonymiser = privacy.Value.CreatePseudonymiser();

    /// <summary>Records the published outcomes of scans that belong to a study, and publishes any study their arrival completed (by its expected count).</summary>
    /// <param name="outcomes">Outcomes as the pipeline made them (before pseudonymisation), each with the uploader's instance count for its study when known.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<IReadOnlyList<StudyResult>> RecordAsync(IReadOnlyList<(ScanOutcome Outcome, int? ExpectedInstances)> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var published = new List<StudyResult>();
        foreach (var (outcome, expected) in outcomes)
        {
            var scan = outcome.Result?.Scan ?? outcome.Error!.Scan;
            if (scan.StudyInstanceUid is not { Length: > 0 } study)
            {
                continue;
            }

            var instance = outcome.Result is { } result ? StudyInstance.From(result) : StudyInstance.From(outcome.Error!);
            var patient = _pseudonymiser is not null && outcome.PatientId is { } id ? _pseudonymiser.Pseudonym(id) : null;
            var recording = await ledger.RecordAsync(study, scan.SopInstanceUid ?? instance.ResultId, instance, expected, _time.GetUtcNow(), cancellationToken, patient).ConfigureAwait(false);
            if (recording.Duplicate)
            {
                LogDuplicate(logger, instance.ResultId);
            }
            else if (recording.Due && await CompleteAsync(recording.StudyKey, cancellationToken).ConfigureAwait(false) is { } completed)
            {
                published.Add(completed);
            }
        }

        return published;
    }

    /// <summary>Publishes every study that is due now (the timer's work); returns what was published.</summary>
    public async Task<IReadOnlyList<StudyResult>> CompleteDueAsync(CancellationToken cancellationToken)
    {
        var published = new List<StudyResult>();
        foreach (var key in await ledger.CandidatesAsync(_time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            if (await CompleteAsync(key, cancellationToken).ConfigureAwait(false) is { } result)
            {
                published.Add(result);
            }
        }

        return published;
    }

    /// <summary>Claims, builds, publishes and marks one study's due revision; null when it is not due or another completer has it.</summary>
    public async Task<StudyResult?> CompleteAsync(string studyKey, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (await ledger.ClaimAsync(studyKey, now, cancellationToken).ConfigureAwait(false) is not { } claim)
        {
            return null;
        }

        var result = StudyResultBuilder.Build(claim, options.Value, now);
        if (_pseudonymiser is not null)
        {
            result = StudyMessages.Pseudonymise(result, _pseudonymiser);
        }

        var reports = fhir?.Value ?? new FhirOptions();
        // The subject only by the pseudonym of its Patient ID, and only when a mapping is configured (privacy is then on).
        var subject = reports.SubjectIdentifierSystem is { } system && _pseudonymiser is not null && claim.PatientPseudonym is { } patient ? (system, patient) : ((string, string)?)null;
        TopicMessage[] messages = reports.Reports == FhirReports.Off
            ? [StudyMessages.ToMessage(result)]
            : [StudyMessages.ToMessage(result), DiagnosticReports.ToMessage(DiagnosticReports.ForStudy(result, subject), "study")];
        await publisher.PublishAsync(messages, cancellationToken).ConfigureAwait(false);
        await ledger.MarkPublishedAsync(studyKey, claim.Revision, cancellationToken).ConfigureAwait(false);
        LogPublished(logger, result.StudyResultId, result.Revision, result.Instances.Count, result.Label ?? "none");
        return result;
    }

    // Named by result ids only: study and instance UIDs can carry dates and site identifiers.
    [LoggerMessage(Level = LogLevel.Information, Message = "Published study result {StudyResultId} (revision {Revision}, {Instances} instance(s), label {Label})")]
    private static partial void LogPublished(ILogger logger, string studyResultId, int revision, int instances, string label);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Instance result {ResultId} was recorded before (a redelivered event)")]
    private static partial void LogDuplicate(ILogger logger, string resultId);
}
