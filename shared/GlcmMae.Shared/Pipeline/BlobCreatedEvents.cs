using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace GlcmMae.Shared.Pipeline;

/// <summary>
/// BlobCreated events shaped as the Event Grid system topic of a storage account delivers them to a queue, in either
/// schema and encoding: for local runs, which have no Event Grid, and for tests of what Azure sends.
/// </summary>
/// <remarks>Fields as in Microsoft's sample events (https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage).</remarks>
public static class BlobCreatedEvents
{
    /// <summary>One event for a blob version.</summary>
    public static string Create(Uri blobUri, string etag, string container, string blobName, ScanEventSchema schema = ScanEventSchema.EventGrid, ScanEventEncoding encoding = ScanEventEncoding.Plain)
    {
        ArgumentNullException.ThrowIfNull(blobUri);
        var json = Event(blobUri, etag, container, blobName, schema).ToJsonString();
        return Encode(json, encoding);
    }

    /// <summary>The event as a JSON object, for callers that deliver several in one array.</summary>
    public static JsonObject Event(Uri blobUri, string etag, string container, string blobName, ScanEventSchema schema)
    {
        ArgumentNullException.ThrowIfNull(blobUri);
        var source = "/local/storageAccounts/" + blobUri.Host;
        var subject = $"/blobServices/default/containers/{container}/blobs/{blobName}";
        var id = Guid.NewGuid().ToString();
        var time = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var data = new JsonObject
        {
            ["api"] = "PutBlob",
            ["clientRequestId"] = Guid.NewGuid().ToString(),
            ["requestId"] = Guid.NewGuid().ToString(),
            ["eTag"] = etag,
            ["contentType"] = "application/octet-stream",
            ["contentLength"] = 0,
            ["blobType"] = "BlockBlob",
            ["url"] = blobUri.ToString(),
            ["sequencer"] = "00000000000000000000000000000000000000000000000000",
            ["storageDiagnostics"] = new JsonObject { ["batchId"] = Guid.NewGuid().ToString() },
        };
        return schema == ScanEventSchema.CloudEvents
            ? new JsonObject
            {
                ["source"] = source,
                ["subject"] = subject,
                ["type"] = "Microsoft.Storage.BlobCreated",
                ["time"] = time,
                ["id"] = id,
                ["data"] = data,
                ["specversion"] = "1.0",
            }
            : new JsonObject
            {
                ["topic"] = source,
                ["subject"] = subject,
                ["eventType"] = "Microsoft.Storage.BlobCreated",
                ["eventTime"] = time,
                ["id"] = id,
                ["data"] = data,
                ["dataVersion"] = string.Empty,
                ["metadataVersion"] = "1",
            };
    }

    /// <summary>A message body in the given encoding.</summary>
    public static string Encode(string json, ScanEventEncoding encoding) =>
        encoding == ScanEventEncoding.Base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(json)) : json;
}
