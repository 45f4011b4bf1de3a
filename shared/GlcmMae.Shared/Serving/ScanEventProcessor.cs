using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Diagnostics;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Studies;
using Microsoft.Extensions.Logging;

namespace GlcmMae.Shared.Serving;

/// <summary>
/// Handles one <c>scan-events</c> queue message: the Event Grid BlobCreated event(s) it carries, each blob through the
/// pipeline, every outcome published. Bad scans become errors and the message completes; anything transient throws so
/// the queue retries (and finally poisons) the message.
/// </summary>
/// <remarks>
/// With study results on (<paramref name="studies"/>), each outcome of a DICOM scan is then recorded in its study, after
/// it was published (a study result only names published results); a failure to record throws, so the message is
/// retried and the outcomes are published again as duplicates the topics drop.
/// </remarks>
public sealed partial class ScanEventProcessor(ScanPipeline pipeline, BlobServiceClient blobs, IOutcomePublisher publisher, ILogger<ScanEventProcessor> logger, StudyCompleter? studies = null)
{
    /// <summary>The container scans are uploaded to.</summary>
    public const string ScansContainer = "scans";

    /// <summary>The container explanation overlays are written to (<c>Inference:Explain</c>), one PNG per result id.</summary>
    public const string ResultsContainer = "results";

    /// <summary>The queue Event Grid delivers BlobCreated events to: the functions trigger on it, local tools announce to it, and errors about messages that are not events name it.</summary>
    public const string EventsQueue = "scan-events";

    /// <summary>Processes a queue message body (<see cref="ScanEventMessage"/>: Event Grid or CloudEvents, plain or base64), returning what was published.</summary>
    /// <remarks>
    /// A message that is not an event cannot become one by retrying: it is published as one <c>InvalidEvent</c> error
    /// that names what was found (never the content) and completes, instead of going round five times to the poison queue.
    /// </remarks>
    public async Task<IReadOnlyList<ScanOutcome>> ProcessAsync(string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var activity = GlcmMaeTelemetry.ActivitySource.StartActivity("scan-events.process", ActivityKind.Consumer);
        activity?.SetTag("messaging.system", "azure_storage_queue");
        activity?.SetTag("messaging.destination.name", EventsQueue);
        IReadOnlyList<BlobCreatedEvent> created;
        try
        {
            (created, var skipped) = ScanEventMessage.Parse(message);
            if (skipped > 0)
            {
                LogSkipped(logger, skipped);
            }
        }
        catch (ScanEventFormatException exception)
        {
            var invalid = InvalidEvent(message, exception) with { TraceParent = activity?.Id };
            activity?.SetStatus(ActivityStatusCode.Error, invalid.Error!.Code);
            LogInvalid(logger, invalid.Error!.Scan.BlobName);
            await PublishAsync([invalid], cancellationToken).ConfigureAwait(false);
            return [invalid];
        }

        var outcomes = new List<ScanOutcome>(created.Count);
        var expectedInstances = new List<int?>(created.Count);
        foreach (var (url, etag, eventId) in created)
        {
            int? expected = null;
            var blob = new BlobUriBuilder(url);
            if (!string.Equals(blob.BlobContainerName, ScansContainer, StringComparison.Ordinal))
            {
                LogIgnored(logger, blob.BlobContainerName);
                continue;
            }

            var client = blobs.GetBlobContainerClient(blob.BlobContainerName).GetBlobClient(blob.BlobName);
            var input = new ScanInput(blob.BlobContainerName, blob.BlobName, client.Uri.GetLeftPart(UriPartial.Path), etag, async ct =>
            {
                var download = (await client.DownloadStreamingAsync(new Azure.Storage.Blobs.Models.BlobDownloadOptions
                {
                    // Classify exactly the version the event announced; a newer upload brings its own event.
                    Conditions = etag is null ? null : new Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = new ETag(etag) },
                }, ct).ConfigureAwait(false)).Value;
                expected = ExpectedInstances(download.Details.Metadata);
                return download.Content;
            })
            {
                CorrelationId = eventId,
            };
            try
            {
                var outcome = await pipeline.ProcessAsync(input, cancellationToken).ConfigureAwait(false);
                outcomes.Add(outcome is { Result: { } result, Explanation: { } explanation }
                    ? outcome with { Result = result with { Explanation = await StoreExplanationAsync(result.ResultId, explanation.Png, cancellationToken).ConfigureAwait(false) } }
                    : outcome);
                expectedInstances.Add(expected);
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
                outcomes.Add(new ScanOutcome(null, error, eventId, activity?.Id));
                expectedInstances.Add(null);
            }
        }

        activity?.SetTag("glcmmae.events", created.Count);
        await PublishAsync(outcomes, cancellationToken).ConfigureAwait(false);
        if (studies is not null)
        {
            await studies.RecordAsync([.. outcomes.Zip(expectedInstances)], cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    /// <summary>The uploader's instance count for the scan's study (blob metadata <see cref="StudyOptions.ExpectedInstancesMetadata"/>), when it is a positive number.</summary>
    private static int? ExpectedInstances(IDictionary<string, string>? metadata) =>
        metadata is not null
        && metadata.TryGetValue(StudyOptions.ExpectedInstancesMetadata, out var text)
        && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
        && count > 0 ? count : null;

    /// <summary>Writes an overlay as <c>results/{resultId}.png</c> (named by the result id, which carries no patient data; a redelivery overwrites it with the same image) and returns that path.</summary>
    private async Task<string> StoreExplanationAsync(string resultId, byte[] png, CancellationToken cancellationToken)
    {
        var name = resultId + ".png";
        await blobs.GetBlobContainerClient(ResultsContainer).GetBlobClient(name).UploadAsync(BinaryData.FromBytes(png), overwrite: true, cancellationToken).ConfigureAwait(false);
        return $"{ResultsContainer}/{name}";
    }

    private async Task PublishAsync(IReadOnlyList<ScanOutcome> outcomes, CancellationToken cancellationToken)
    {
        using var activity = GlcmMaeTelemetry.ActivitySource.StartActivity("scan-events.publish", ActivityKind.Producer);
        activity?.SetTag("glcmmae.outcomes", outcomes.Count);
        await publisher.PublishAsync(outcomes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The error for a message that is not an event: identified by the hash of its body, so a redelivery is a duplicate.</summary>
    private static ScanOutcome InvalidEvent(string message, ScanEventFormatException exception)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(message)));
        var error = new ScanError
        {
            ErrorId = MessageIds.For($"queue://{EventsQueue}/{hash}", null, null),
            Scan = new ScanReference { Container = EventsQueue, BlobName = $"message-{hash[..16]}", Sha256 = hash },
            Code = exception.ErrorCode,
            Message = exception.Message + " Expected a Microsoft.Storage.BlobCreated event in the Event Grid or CloudEvents 1.0 schema, as JSON or base64-encoded JSON.",
            ProcessedAt = DateTimeOffset.UtcNow,
        };
        return new ScanOutcome(null, error, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A scan-events message is not an event; published as InvalidEvent ({Reference})")]
    private static partial void LogInvalid(ILogger logger, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped {Count} event(s) that are not BlobCreated")]
    private static partial void LogSkipped(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignoring a BlobCreated event from container {Container}")]
    private static partial void LogIgnored(ILogger logger, string container);
}
