using Azure;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;
using Azure.Storage.Blobs;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Messaging;
using Microsoft.Extensions.Logging;

namespace GlcmMae.Shared.Pipeline;

/// <summary>
/// Handles one <c>scan-events</c> queue message: the Event Grid BlobCreated event(s) it carries, each blob through the
/// pipeline, every outcome published. Bad scans become errors and the message completes; anything transient throws so
/// the queue retries (and finally poisons) the message.
/// </summary>
public sealed partial class ScanEventProcessor(ScanPipeline pipeline, BlobServiceClient blobs, IOutcomePublisher publisher, ILogger<ScanEventProcessor> logger)
{
    /// <summary>The container scans are uploaded to.</summary>
    public const string ScansContainer = "scans";

    /// <summary>Processes a queue message body (Event Grid schema, or CloudEvents), returning what was published.</summary>
    public async Task<IReadOnlyList<ScanOutcome>> ProcessAsync(string message, CancellationToken cancellationToken)
    {
        var created = ParseBlobCreated(message);
        var outcomes = new List<ScanOutcome>(created.Count);
        foreach (var (url, etag, eventId) in created)
        {
            var blob = new BlobUriBuilder(url);
            if (!string.Equals(blob.BlobContainerName, ScansContainer, StringComparison.Ordinal))
            {
                LogIgnored(logger, blob.BlobContainerName);
                continue;
            }

            var client = blobs.GetBlobContainerClient(blob.BlobContainerName).GetBlobClient(blob.BlobName);
            var input = new ScanInput(blob.BlobContainerName, blob.BlobName, client.Uri.GetLeftPart(UriPartial.Path), etag, async ct =>
                (await client.DownloadStreamingAsync(new Azure.Storage.Blobs.Models.BlobDownloadOptions
                {
                    // Classify exactly the version the event announced; a newer upload brings its own event.
                    Conditions = etag is null ? null : new Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = new ETag(etag) },
                }, ct).ConfigureAwait(false)).Value.Content)
            {
                CorrelationId = eventId,
            };
            try
            {
                outcomes.Add(await pipeline.ProcessAsync(input, cancellationToken).ConfigureAwait(false));
            }
            catch (RequestFailedException exception) when (exception.Status is 404 or 412)
            {
                // Deleted or overwritten before we got to it: nothing to classify for this event.
                // (Azure answers a conditional read of a deleted blob with 404, Azurite with 412: ask.)
                var deleted = exception.Status == 404 || !(await client.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;
                var error = new ScanError
                {
                    ErrorId = MessageIds.For(input.BlobUri, etag, null),
                    Scan = new ScanReference { Container = input.Container, BlobName = input.BlobName, ETag = etag },
                    Code = deleted ? "BlobNotFound" : "BlobChanged",
                    Message = deleted ? "The blob was deleted before it could be classified." : "The blob was overwritten before it could be classified; the newer version is classified by its own event.",
                    ProcessedAt = DateTimeOffset.UtcNow,
                };
                outcomes.Add(new ScanOutcome(null, error, eventId));
            }
        }

        await publisher.PublishAsync(outcomes, cancellationToken).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>The (blob URL, ETag, event id) of every BlobCreated event in a message.</summary>
    public static IReadOnlyList<(Uri Url, string? ETag, string EventId)> ParseBlobCreated(string message)
    {
        var data = BinaryData.FromString(message);
        var found = new List<(Uri, string?, string)>();
        try
        {
            if (message.Contains("\"specversion\"", StringComparison.Ordinal))
            {
                foreach (var cloudEvent in CloudEvent.ParseMany(data))
                {
                    if (cloudEvent.TryGetSystemEventData(out var payload) && payload is StorageBlobCreatedEventData blob)
                    {
                        found.Add((new Uri(blob.Url), blob.ETag, cloudEvent.Id));
                    }
                }
            }
            else
            {
                foreach (var gridEvent in EventGridEvent.ParseMany(data))
                {
                    if (gridEvent.TryGetSystemEventData(out var payload) && payload is StorageBlobCreatedEventData blob)
                    {
                        found.Add((new Uri(blob.Url), blob.ETag, gridEvent.Id));
                    }
                }
            }
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or ArgumentException or FormatException or UriFormatException)
        {
            throw new ScanEventFormatException($"The queue message is not an Event Grid or CloudEvents BlobCreated event: {exception.Message}");
        }

        return found;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignoring a BlobCreated event from container {Container}")]
    private static partial void LogIgnored(ILogger logger, string container);
}
