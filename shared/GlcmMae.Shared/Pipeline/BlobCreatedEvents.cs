using System.Globalization;
using System.Text.Json.Nodes;

namespace GlcmMae.Shared.Pipeline;

/// <summary>Event Grid BlobCreated events as the system topic delivers them to the queue: for local runs that have no Event Grid.</summary>
public static class BlobCreatedEvents
{
    /// <summary>One event (Event Grid schema) for a blob version.</summary>
    public static string Create(Uri blobUri, string etag, string container, string blobName) => new JsonObject
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["topic"] = "/local/storageAccounts/" + blobUri.Host,
        ["subject"] = $"/blobServices/default/containers/{container}/blobs/{blobName}",
        ["eventType"] = "Microsoft.Storage.BlobCreated",
        ["eventTime"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["dataVersion"] = string.Empty,
        ["metadataVersion"] = "1",
        ["data"] = new JsonObject
        {
            ["api"] = "PutBlob",
            ["contentType"] = "application/octet-stream",
            ["blobType"] = "BlockBlob",
            ["url"] = blobUri.ToString(),
            ["eTag"] = etag,
        },
    }.ToJsonString();
}
