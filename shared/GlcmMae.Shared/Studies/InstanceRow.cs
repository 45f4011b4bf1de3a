using Azure;
using Azure.Data.Tables;

namespace GlcmMae.Shared.Studies;

/// <summary>One instance of a study: the revision it joined and what its published result said (<see cref="Contracts.StudyInstance"/> as JSON).</summary>
internal sealed class InstanceRow : ITableEntity
{
    /// <summary>Row keys of instances start with this (and sort after <see cref="StudyRow.Key"/>).</summary>
    public const string Prefix = "i-";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The revision the instance joined.</summary>
    public int Revision { get; set; }

    /// <summary>The id of the message published for it; a redelivery carries the same one.</summary>
    public string ResultId { get; set; } = string.Empty;

    /// <summary>The instance, as JSON.</summary>
    public string Instance { get; set; } = string.Empty;
}
