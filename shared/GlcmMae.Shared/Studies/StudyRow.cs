using Azure;
using Azure.Data.Tables;

namespace GlcmMae.Shared.Studies;

/// <summary>
/// A study's state, the row <see cref="StudyRow.Key"/> of its partition. Instances join the open <see cref="Revision"/>;
/// a completer claims it (the next instances join the next revision), publishes it, then marks it published.
/// </summary>
internal sealed class StudyRow : ITableEntity
{
    /// <summary>The row key of a study's own row (instance rows start with "i-", which sorts after it).</summary>
    public const string Key = "study";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = Key;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string StudyInstanceUid { get; set; } = string.Empty;

    /// <summary>The pseudonym of the study's Patient ID, kept only when privacy is on (for the FHIR subject mapping).</summary>
    public string? PatientPseudonym { get; set; }

    /// <summary>The revision new instances join.</summary>
    public int Revision { get; set; } = 1;

    /// <summary>Instances that joined the open revision (new, or reclassified).</summary>
    public int OpenInstances { get; set; }

    /// <summary>Distinct instances of the study.</summary>
    public int Instances { get; set; }

    /// <summary>The uploader's instance count, when known.</summary>
    public int? ExpectedInstances { get; set; }

    /// <summary>When the last instance was recorded.</summary>
    public DateTimeOffset LastSeen { get; set; }

    /// <summary>The revision last claimed for publishing (0: none).</summary>
    public int ClaimedRevision { get; set; }

    /// <summary>When it was claimed.</summary>
    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>Why it was claimed: quiet or expected.</summary>
    public string? ClaimReason { get; set; }

    /// <summary>The revision last published (0: none).</summary>
    public int PublishedRevision { get; set; }

    /// <summary>True while a claimed revision is not yet marked published (a filterable copy of ClaimedRevision &gt; PublishedRevision).</summary>
    public bool PendingClaim { get; set; }
}
