using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using GlcmMae.Shared.Contracts;

namespace GlcmMae.Shared.Studies;

/// <summary>
/// Instance results per study in Azure Table Storage, one partition per study: a study row and one row per instance.
/// An instance joins the study's open revision in one entity-group transaction with the study row's update (under its
/// ETag), so a completer that claims a revision (again under the ETag) sees exactly the instances counted in it;
/// concurrent instances and completers retry on a conflict, and a redelivered result changes nothing.
/// </summary>
public sealed class StudyLedger(TableClient table, StudyOptions options)
{
    // Enough for dozens of instances of one study arriving at once; past it the caller's message is retried.
    private const int MaxAttempts = 50;

    private readonly SemaphoreSlim _created = new(1, 1);
    private bool _exists;

    /// <summary>Records an instance's result, returning whether it was new and whether its study is now due.</summary>
    /// <param name="studyInstanceUid">The study.</param>
    /// <param name="instanceIdentity">The SOP Instance UID (or, without one, the result id).</param>
    /// <param name="instance">What its published message said.</param>
    /// <param name="expectedInstances">The uploader's instance count for the study, when known.</param>
    /// <param name="now">The time of recording.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <param name="patientPseudonym">The pseudonym of the scan's Patient ID (privacy on), kept for the FHIR subject mapping.</param>
    public async Task<StudyRecording> RecordAsync(string studyInstanceUid, string instanceIdentity, StudyInstance instance, int? expectedInstances, DateTimeOffset now, CancellationToken cancellationToken, string? patientPseudonym = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var key = StudyKeys.Study(studyInstanceUid);
        var rowKey = StudyKeys.Instance(instanceIdentity);
        var json = JsonSerializer.Serialize(instance, ContractJson.Options);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var study = await GetAsync<StudyRow>(key, StudyRow.Key, cancellationToken).ConfigureAwait(false);
            var existing = await GetAsync<InstanceRow>(key, rowKey, cancellationToken).ConfigureAwait(false);
            if (existing is not null && existing.ResultId == instance.ResultId)
            {
                return new StudyRecording(key, Duplicate: true, Due: false);
            }

            var actions = new List<TableTransactionAction>(2);
            if (study is null)
            {
                study = new StudyRow { PartitionKey = key, StudyInstanceUid = studyInstanceUid, PatientPseudonym = patientPseudonym, Revision = 1, OpenInstances = 1, Instances = 1, ExpectedInstances = expectedInstances, LastSeen = now };
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, study));
            }
            else
            {
                // A reclassified instance (a re-upload, a new model) counts again only if it had joined an earlier revision.
                study.OpenInstances += existing is null || existing.Revision != study.Revision ? 1 : 0;
                study.Instances += existing is null ? 1 : 0;
                study.ExpectedInstances = expectedInstances ?? study.ExpectedInstances;
                study.PatientPseudonym ??= patientPseudonym;
                study.LastSeen = now > study.LastSeen ? now : study.LastSeen;
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, study, study.ETag));
            }

            var row = new InstanceRow { PartitionKey = key, RowKey = rowKey, Revision = study.Revision, ResultId = instance.ResultId, Instance = json };
            actions.Add(existing is null
                ? new TableTransactionAction(TableTransactionActionType.Add, row)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, existing.ETag));
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return new StudyRecording(key, Duplicate: false, Due: IsDue(study, now, options.QuietPeriod) && !study.PendingClaim);
            }
            catch (TableTransactionFailedException exception) when (exception.Status is 409 or 412)
            {
                // Another instance or a completer changed the study first: read it again.
            }
        }

        throw new StudyLedgerConflictException($"The study's row changed under {MaxAttempts} attempts to record an instance; the event is retried.");
    }

    /// <summary>The keys of studies that may be due at <paramref name="now"/>: open instances, or a claim that was never marked published.</summary>
    public async Task<IReadOnlyList<string>> CandidatesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<string>();
        var filter = TableClient.CreateQueryFilter($"RowKey eq {StudyRow.Key} and (OpenInstances gt {0} or PendingClaim eq {true})");
        await foreach (var study in table.QueryAsync<StudyRow>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (IsDue(study, now, options.QuietPeriod) || IsStale(study, now))
            {
                keys.Add(study.PartitionKey);
            }
        }

        return keys;
    }

    /// <summary>
    /// Claims the study's next revision to publish, if it is due (or a claim went stale): null when there is nothing to
    /// publish or another completer holds it. New instances join the following revision from here on.
    /// </summary>
    public async Task<StudyClaim?> ClaimAsync(string studyKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var study = await GetAsync<StudyRow>(studyKey, StudyRow.Key, cancellationToken).ConfigureAwait(false);
            if (study is null)
            {
                return null;
            }

            int revision;
            if (IsStale(study, now))
            {
                // Claimed, never marked published (the completer died): publish it again under the same message id.
                revision = study.ClaimedRevision;
            }
            else if (!study.PendingClaim && IsDue(study, now, options.QuietPeriod))
            {
                revision = study.Revision;
                study.ClaimReason = study.ExpectedInstances is { } expected && study.Instances >= expected ? "expected" : "quiet";
                study.Revision = revision + 1;
                study.OpenInstances = 0;
                study.ClaimedRevision = revision;
                study.PendingClaim = true;
            }
            else
            {
                return null;
            }

            study.ClaimedAt = now;
            try
            {
                await table.UpdateEntityAsync(study, study.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException exception) when (exception.Status == 412)
            {
                continue;
            }

            var instances = new List<(DateTimeOffset At, StudyInstance Instance)>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {studyKey} and RowKey ge {InstanceRow.Prefix} and Revision le {revision}");
            await foreach (var row in table.QueryAsync<InstanceRow>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var instance = JsonSerializer.Deserialize<StudyInstance>(row.Instance, ContractJson.Options)!;
                instances.Add((instance.ProcessedAt, instance));
            }

            var ordered = instances.OrderBy(i => i.At).ThenBy(i => i.Instance.ResultId, StringComparer.Ordinal).Select(i => i.Instance).ToArray();
            return new StudyClaim(studyKey, study.StudyInstanceUid, revision, study.ClaimReason ?? "quiet", ordered, study.PatientPseudonym);
        }

        throw new StudyLedgerConflictException($"The study's row changed under {MaxAttempts} attempts to claim it; the next completion run tries again.");
    }

    /// <summary>Marks a claimed revision published (idempotent; a later revision already marked stays).</summary>
    public async Task MarkPublishedAsync(string studyKey, int revision, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var study = await GetAsync<StudyRow>(studyKey, StudyRow.Key, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("A claimed study's row is gone; the table was changed by something else.");
            if (study.PublishedRevision >= revision)
            {
                return;
            }

            study.PublishedRevision = revision;
            study.PendingClaim = study.ClaimedRevision > revision;
            try
            {
                await table.UpdateEntityAsync(study, study.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException exception) when (exception.Status == 412)
            {
            }
        }

        throw new StudyLedgerConflictException($"The study's row changed under {MaxAttempts} attempts to mark it published; it is published again (a duplicate) after the claim timeout.");
    }

    private static bool IsDue(StudyRow study, DateTimeOffset now, TimeSpan quiet) =>
        study.OpenInstances > 0 && (now - study.LastSeen >= quiet || (study.ExpectedInstances is { } expected && study.Instances >= expected));

    private bool IsStale(StudyRow study, DateTimeOffset now) =>
        study.PendingClaim && study.ClaimedRevision > study.PublishedRevision && study.ClaimedAt is { } at && now - at >= options.ClaimTimeout;

    private async Task<T?> GetAsync<T>(string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var response = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _exists))
        {
            return;
        }

        await _created.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_exists)
            {
                try
                {
                    // A read of the table itself: the deployment creates it (infra/) and grants the apps data access
                    // on that one table, which does not cover creating tables, so creation is tried only when it is missing.
                    var pages = table.QueryAsync<TableEntity>($"PartitionKey eq '{StudyRow.Key}'", maxPerPage: 1, select: ["PartitionKey"], cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
                    await using (pages.ConfigureAwait(false))
                    {
                        await pages.MoveNextAsync().ConfigureAwait(false);
                    }
                }
                catch (RequestFailedException exception) when (exception.Status == 404)
                {
                    // Azurite, a new account: no table yet.
                    await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                }

                _exists = true;
            }
        }
        finally
        {
            _created.Release();
        }
    }
}
