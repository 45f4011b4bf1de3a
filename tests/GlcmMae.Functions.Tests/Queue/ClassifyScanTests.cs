using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using GlcmMae.Functions.Queue;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GlcmMae.Functions.Tests.Queue;

public sealed class ClassifyScanTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Every_distinct_blob_gets_exactly_one_result_or_error_and_the_queue_is_drained()
    {
        await using var serving = await ServingFixture.CreateAsync();
        var blobs = azurite.CreateBlobServiceClient();
        var scans = blobs.GetBlobContainerClient(ScanEventProcessor.ScansContainer);
        await scans.CreateIfNotExistsAsync();
        var dicom = DicomWriter.Write(SyntheticDicom.Grayscale(48, 48, 8, 8, false, (_, r, c) => r + c, modality: "US").WithPatient(), DicomTransferSyntax.ExplicitVRLittleEndian);
        var files = new Dictionary<string, byte[]>
        {
            ["study/a.png"] = ServingFixture.Png(30),
            ["study/b.png"] = ServingFixture.Png(220),
            ["study/c.dcm"] = dicom,
            ["study/corrupt.dcm"] = dicom.AsSpan(0, 400).ToArray(),
            ["study/notes.txt"] = "not a scan"u8.ToArray(),
        };
        var events = new List<string>();
        foreach (var (name, bytes) in files)
        {
            var uploaded = await scans.UploadBlobAsync(name, BinaryData.FromBytes(bytes));
            events.Add(BlobCreatedEvent(scans.GetBlobClient(name).Uri, uploaded.Value.ETag.ToString()));
        }

        // Event Grid delivers at least once: the first event arrives twice.
        events.Add(events[0]);
        var queue = azurite.CreateQueueServiceClient().GetQueueClient(ClassifyScan.QueueName);
        await queue.CreateIfNotExistsAsync();
        foreach (var message in events)
        {
            await queue.SendMessageAsync(message);
        }

        var processor = new ScanEventProcessor(serving.Pipeline, blobs, serving.Topics, NullLogger<ScanEventProcessor>.Instance);
        var function = new ClassifyScan(processor);
        // What the Functions host does: receive, run the function, delete on success.
        while ((await queue.ReceiveMessagesAsync(maxMessages: 4)).Value is { Length: > 0 } received)
        {
            foreach (var message in received)
            {
                await function.RunAsync(message.Body.ToString(), CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        var results = serving.Published(Topics.Results).Select(f => JsonSerializer.Deserialize<ClassificationResult>(File.ReadAllBytes(f), ContractJson.Options)!).ToArray();
        var errors = serving.Published(Topics.Errors).Select(f => JsonSerializer.Deserialize<ScanError>(File.ReadAllBytes(f), ContractJson.Options)!).ToArray();
        Assert.Equal(["study/a.png", "study/b.png", "study/c.dcm"], results.Select(r => r.Scan.BlobName).Order());
        Assert.Equal(["CorruptFile", "UnsupportedFormat"], errors.Select(e => e.Code).Order());
        Assert.Equal("benign", results.Single(r => r.Scan.BlobName == "study/a.png").Prediction.Label);
        Assert.Equal("normal", results.Single(r => r.Scan.BlobName == "study/b.png").Prediction.Label);
        Assert.All(results, r => Assert.NotNull(r.Scan.ETag));
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        var published = string.Join('\n', serving.Published(Topics.Results).Concat(serving.Published(Topics.Errors)).Select(File.ReadAllText));
        Assert.DoesNotContain("Doe", published, StringComparison.Ordinal);
        Assert.DoesNotContain("PID-0042", published, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_that_is_not_an_event_throws_so_the_queue_can_poison_it()
    {
        await using var serving = await ServingFixture.CreateAsync();
        var processor = new ScanEventProcessor(serving.Pipeline, azurite.CreateBlobServiceClient(), serving.Topics, NullLogger<ScanEventProcessor>.Instance);

        await Assert.ThrowsAsync<ScanEventFormatException>(() => new ClassifyScan(processor).RunAsync("{not json", CancellationToken.None));
    }

    [Fact]
    public async Task A_blob_deleted_before_processing_is_reported_not_retried_forever()
    {
        await using var serving = await ServingFixture.CreateAsync();
        var blobs = azurite.CreateBlobServiceClient();
        var scans = blobs.GetBlobContainerClient(ScanEventProcessor.ScansContainer);
        await scans.CreateIfNotExistsAsync();
        var uploaded = await scans.UploadBlobAsync("gone.png", BinaryData.FromBytes(ServingFixture.Png(9)));
        await scans.DeleteBlobAsync("gone.png");
        var processor = new ScanEventProcessor(serving.Pipeline, blobs, serving.Topics, NullLogger<ScanEventProcessor>.Instance);

        var outcomes = await processor.ProcessAsync(BlobCreatedEvent(scans.GetBlobClient("gone.png").Uri, uploaded.Value.ETag.ToString()), CancellationToken.None);

        Assert.Equal("BlobNotFound", Assert.Single(outcomes).Error!.Code);
    }

    private static string BlobCreatedEvent(Uri url, string etag) => new JsonObject
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["topic"] = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/devstoreaccount1",
        ["subject"] = "/blobServices/default/containers/scans/blobs/" + url.Segments[^1],
        ["eventType"] = "Microsoft.Storage.BlobCreated",
        ["eventTime"] = DateTimeOffset.UtcNow.ToString("O"),
        ["dataVersion"] = string.Empty,
        ["metadataVersion"] = "1",
        ["data"] = new JsonObject
        {
            ["api"] = "PutBlob",
            ["contentType"] = "application/octet-stream",
            ["blobType"] = "BlockBlob",
            ["url"] = url.ToString(),
            ["eTag"] = etag,
        },
    }.ToJsonString();
}
