using System.Text;
using System.Text.Json;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;

namespace GlcmMae.Shared.Pipeline;

/// <summary>
/// Reads a <c>scan-events</c> queue message in every form Event Grid and our own tools write it: the Event Grid schema or
/// CloudEvents 1.0, one event or an array, as plain JSON or base64-encoded JSON.
/// </summary>
/// <remarks>
/// Event Grid writes storage-queue deliveries itself; whether the body arrives as plain or base64-encoded JSON is not
/// something this code can observe without Azure, and field reports differ, so both are read. The Functions host hands
/// the body over untouched (host.json: queues.messageEncoding "none";
/// https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue#host-json). Events other than
/// Microsoft.Storage.BlobCreated are counted and skipped; a body that is none of these forms is a
/// <see cref="ScanEventFormatException"/> whose message says what was found, never the content (it holds blob names).
/// </remarks>
public static class ScanEventMessage
{
    private const string BlobCreatedType = "Microsoft.Storage.BlobCreated";

    /// <summary>The BlobCreated events of a message, and how many other events it held.</summary>
    public static (IReadOnlyList<BlobCreatedEvent> Created, int Skipped) Parse(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var json = Json(message);
        var schema = Schema(json);
        var created = new List<BlobCreatedEvent>();
        var skipped = 0;
        try
        {
            if (schema == ScanEventSchema.CloudEvents)
            {
                foreach (var cloudEvent in CloudEvent.ParseMany(json))
                {
                    if (cloudEvent.Type == BlobCreatedType && cloudEvent.TryGetSystemEventData(out var payload) && payload is StorageBlobCreatedEventData blob)
                    {
                        created.Add(new BlobCreatedEvent(new Uri(blob.Url), blob.ETag, cloudEvent.Id));
                    }
                    else
                    {
                        skipped++;
                    }
                }
            }
            else
            {
                foreach (var gridEvent in EventGridEvent.ParseMany(json))
                {
                    if (gridEvent.EventType == BlobCreatedType && gridEvent.TryGetSystemEventData(out var payload) && payload is StorageBlobCreatedEventData blob)
                    {
                        created.Add(new BlobCreatedEvent(new Uri(blob.Url), blob.ETag, gridEvent.Id));
                    }
                    else
                    {
                        skipped++;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or FormatException or UriFormatException or InvalidOperationException)
        {
            throw new ScanEventFormatException($"The queue message is JSON but not a valid {(schema == ScanEventSchema.CloudEvents ? "CloudEvents" : "Event Grid")} event ({exception.GetType().Name}).");
        }

        return (created, skipped);
    }

    /// <summary>The message as JSON: as it is, or base64-decoded.</summary>
    private static BinaryData Json(string message)
    {
        var text = message.AsSpan().Trim();
        if (text.Length > 0 && text[0] is '{' or '[')
        {
            return BinaryData.FromString(message);
        }

        var bytes = new byte[(text.Length * 3 / 4) + 3];
        if (text.Length > 0 && Convert.TryFromBase64Chars(text, bytes, out var written))
        {
            var decoded = bytes.AsSpan(0, written).TrimStart(" \t\r\n"u8);
            if (decoded.Length > 0 && decoded[0] is (byte)'{' or (byte)'[')
            {
                return BinaryData.FromBytes(bytes.AsMemory(0, written));
            }

            throw new ScanEventFormatException($"The queue message is base64, but what it encodes is not JSON ({written} bytes).");
        }

        throw new ScanEventFormatException($"The queue message is neither JSON nor base64-encoded JSON ({Encoding.UTF8.GetByteCount(message)} bytes).");
    }

    private static ScanEventSchema Schema(BinaryData json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var first = document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().FirstOrDefault()
                : document.RootElement;
            if (first.ValueKind != JsonValueKind.Object)
            {
                throw new ScanEventFormatException($"The queue message is JSON but holds no event object (a {document.RootElement.ValueKind}{(document.RootElement.ValueKind == JsonValueKind.Array ? " without objects" : string.Empty)}).");
            }

            return first.TryGetProperty("specversion", out _) ? ScanEventSchema.CloudEvents : ScanEventSchema.EventGrid;
        }
        catch (JsonException exception)
        {
            throw new ScanEventFormatException($"The queue message starts like JSON but is not valid JSON (line {exception.LineNumber}, byte {exception.BytePositionInLine}).");
        }
    }
}
