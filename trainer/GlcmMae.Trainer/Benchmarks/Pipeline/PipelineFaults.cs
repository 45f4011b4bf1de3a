namespace GlcmMae.Trainer.Benchmarks.Pipeline;

/// <summary>The faults <c>glcmmae bench pipeline</c> injects while scans flow.</summary>
[Flags]
internal enum PipelineFaults
{
    /// <summary>No faults: throughput and latency alone.</summary>
    None = 0,

    /// <summary>The Service Bus broker stops for the outage time when 60% of the scans have an outcome, dropping every connection.</summary>
    BrokerOutage = 1,

    /// <summary>A new model version is promoted when 20% of the scans have an outcome; the fault ends when serving has followed it, without a restart.</summary>
    Promotion = 2,

    /// <summary>Azurite (blobs, queues, the registry) is stopped and started again when 40% of the scans have an outcome.</summary>
    StorageRestart = 4,

    /// <summary>1% of the uploads are damaged files (truncated, garbage, a PNG with a broken body).</summary>
    CorruptScans = 8,

    /// <summary>1% of the events are delivered twice (Event Grid delivers at least once), the copy some scans later.</summary>
    DuplicateEvents = 16,

    /// <summary>Everything above.</summary>
    All = BrokerOutage | Promotion | StorageRestart | CorruptScans | DuplicateEvents,
}
