using System.Text.Json;
using GlcmMae.Rehearsal.Messaging;

namespace GlcmMae.Trainer.Benchmarks.Pipeline;

/// <summary>One message the broker accepted on <c>scan-results</c> or <c>scan-errors</c>, read back from its body.</summary>
/// <param name="BlobName">The scan's blob (the container is <c>scans</c>, or the queue for a message that was not an event).</param>
/// <param name="Container">The scan's container.</param>
/// <param name="ModelVersion">The model that classified it (or was current when it failed), when known.</param>
/// <param name="ErrorCode">The error code for <c>scan-errors</c>; null for a result.</param>
/// <param name="ReceivedAt">When the broker accepted it.</param>
internal sealed record RehearsalOutcome(string BlobName, string Container, string? ModelVersion, string? ErrorCode, DateTimeOffset ReceivedAt)
{
    /// <summary>Reads a result message (<see cref="Shared.Contracts.ClassificationResult"/>).</summary>
    public static RehearsalOutcome FromResult(BrokeredMessage message) => Read(message, error: false);

    /// <summary>Reads an error message (<see cref="Shared.Contracts.ScanError"/>).</summary>
    public static RehearsalOutcome FromError(BrokeredMessage message) => Read(message, error: true);

    private static RehearsalOutcome Read(BrokeredMessage message, bool error)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var document = JsonDocument.Parse(message.Body);
        var root = document.RootElement;
        var scan = root.GetProperty("scan");
        var blob = scan.GetProperty("blobName").GetString() ?? string.Empty;
        var container = scan.GetProperty("container").GetString() ?? string.Empty;
        return error
            ? new RehearsalOutcome(blob, container, root.TryGetProperty("modelVersion", out var version) ? version.GetString() : null, root.GetProperty("code").GetString(), message.ReceivedAt)
            : new RehearsalOutcome(blob, container, root.GetProperty("model").GetProperty("version").GetString(), null, message.ReceivedAt);
    }
}
