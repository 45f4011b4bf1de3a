namespace GlcmMae.Trainer.Benchmarks.Pipeline;

/// <summary>
/// The account of a rehearsal: for every distinct blob uploaded, the outcomes that reached the topics. It passes when no
/// blob is lost, no blob has two outcomes from the same model (duplicate detection held), every damaged file is an error
/// and every intact one a result, nothing else was published, and the poison queue is empty.
/// </summary>
/// <remarks>
/// A blob whose repeated event was handled on both sides of a promotion is classified once by each model: two results
/// with different message ids, both correct. They are counted in <see cref="ClassifiedByTwoModels"/>, not as duplicates.
/// </remarks>
internal sealed record PipelineLedger
{
    /// <summary>Distinct blobs uploaded.</summary>
    public required int Blobs { get; init; }

    /// <summary>Of which damaged on purpose.</summary>
    public required int Corrupt { get; init; }

    /// <summary>Messages on <c>scan-results</c>.</summary>
    public required int Results { get; init; }

    /// <summary>Messages on <c>scan-errors</c>.</summary>
    public required int Errors { get; init; }

    /// <summary>Blobs with exactly one outcome.</summary>
    public required int ExactlyOnce { get; init; }

    /// <summary>Blobs with no outcome.</summary>
    public required int Lost { get; init; }

    /// <summary>Outcomes beyond the first for the same blob and model: duplicates that got past duplicate detection.</summary>
    public required int DuplicatesDelivered { get; init; }

    /// <summary>Blobs classified once by each of two models because their events straddled the promotion.</summary>
    public required int ClassifiedByTwoModels { get; init; }

    /// <summary>Damaged files that got a result, or intact ones that got an error.</summary>
    public required int WrongOutcome { get; init; }

    /// <summary>Outcomes naming no uploaded blob.</summary>
    public required int Unexpected { get; init; }

    /// <summary>Messages in the poison queue at the end.</summary>
    public required int Poison { get; init; }

    /// <summary>Error codes and how often each was published.</summary>
    public required IReadOnlyDictionary<string, int> ErrorCodes { get; init; }

    /// <summary>What failed, in words; empty when the ledger balances.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>True when the ledger balances.</summary>
    public bool Passed => Problems.Count == 0;

    /// <summary>Balances <paramref name="outcomes"/> against <paramref name="uploads"/>.</summary>
    public static PipelineLedger Balance(IReadOnlyList<RehearsalUpload> uploads, IReadOnlyList<RehearsalOutcome> outcomes, int poison, string container)
    {
        ArgumentNullException.ThrowIfNull(uploads);
        ArgumentNullException.ThrowIfNull(outcomes);
        var byBlob = outcomes.Where(o => o.Container == container).ToLookup(o => o.BlobName, StringComparer.Ordinal);
        var uploaded = uploads.ToDictionary(u => u.BlobName, StringComparer.Ordinal);
        var (exactlyOnce, lost, duplicates, twoModels, wrong) = (0, 0, 0, 0, 0);
        foreach (var upload in uploads)
        {
            var mine = byBlob[upload.BlobName].ToList();
            if (mine.Count == 0)
            {
                lost++;
                continue;
            }

            exactlyOnce += mine.Count == 1 ? 1 : 0;
            var perModel = mine.GroupBy(o => o.ModelVersion ?? string.Empty, StringComparer.Ordinal).ToList();
            duplicates += perModel.Sum(g => g.Count() - 1);
            twoModels += perModel.Count > 1 ? 1 : 0;
            wrong += mine.Count(o => (o.ErrorCode is null) == upload.Corrupt);
        }

        var unexpected = outcomes.Count(o => o.Container != container || !uploaded.ContainsKey(o.BlobName));
        var problems = new List<string>();
        Add(problems, lost, "blob(s) got no outcome (lost)");
        Add(problems, duplicates, "outcome(s) repeated for the same blob and model (duplicate detection did not hold)");
        Add(problems, wrong, "outcome(s) of the wrong kind (a damaged file classified, or an intact one refused)");
        Add(problems, unexpected, "outcome(s) naming no uploaded blob");
        Add(problems, poison, "message(s) in the poison queue");
        return new PipelineLedger
        {
            Blobs = uploads.Count,
            Corrupt = uploads.Count(u => u.Corrupt),
            Results = outcomes.Count(o => o.ErrorCode is null),
            Errors = outcomes.Count(o => o.ErrorCode is not null),
            ExactlyOnce = exactlyOnce,
            Lost = lost,
            DuplicatesDelivered = duplicates,
            ClassifiedByTwoModels = twoModels,
            WrongOutcome = wrong,
            Unexpected = unexpected,
            Poison = poison,
            ErrorCodes = outcomes.Where(o => o.ErrorCode is not null).GroupBy(o => o.ErrorCode!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            Problems = problems,
        };
    }

    private static void Add(List<string> problems, int count, string what)
    {
        if (count > 0)
        {
            problems.Add($"{count} {what}");
        }
    }
}
