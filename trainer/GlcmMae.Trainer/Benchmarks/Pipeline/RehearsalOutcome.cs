using System.Text.Json;
using GlcmMae.Rehearsal.Messaging;
using GlcmMae.Shared.Contracts;

namespace GlcmMae.Trainer.Benchmarks.Pipeline;

/// <summary>One message the broker accepted on <c>scan-results</c> or <c>scan-errors</c>, read back from its body.</summary>
/// <param name="BlobName">The scan's blob (the container is <c>scans</c>, or the queue for a message that was not an event).</param>
/// <param name="Container">The scan's container.</param>
/// <param name="ModelVersion">The model that classified it (or was current when it failed), when known.</param>
/// <param name="ErrorCode">The error code for <c>scan-errors</c>; null for a result.</param>
/// <param name="ReceivedAt">When the broker accepted it.</param>
internal sealed record RehearsalOutcome(string BlobName, string Container, string? ModelVersion, string? ErrorCode, DateTimeOffset ReceivedAt)
{
    /// <summary>Reads a result message (<see cref="ClassificationResult"/>).</summary>
    public static RehearsalOutcome FromResult(BrokeredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var result = JsonSerializer.Deserialize<ClassificationResult>(message.Body, ContractJson.Options)!;
        return new RehearsalOutcome(result.Scan.BlobName, result.Scan.Container, result.Model.Version, null, message.ReceivedAt);
    }

    /// <summary>Reads an error message (<see cref="ScanError"/>).</summary>
    public static RehearsalOutcome FromError(BrokeredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var error = JsonSerializer.Deserialize<ScanError>(message.Body, ContractJson.Options)!;
        return new RehearsalOutcome(error.Scan.BlobName, error.Scan.Container, error.ModelVersion, error.Code, message.ReceivedAt);
    }
}
