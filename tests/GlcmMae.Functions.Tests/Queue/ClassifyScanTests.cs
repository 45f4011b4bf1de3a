using System.Text.Json;
using Azure.Storage.Blobs;
using GlcmMae.Functions.Queue;
using GlcmMae.Rehearsal.Messaging;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
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
        using var folder = new TempFolder();
        var files = new Dictionary<string, byte[]>
        {
            ["study/a.png"] = ServingFixture.Png(30),
            ["study/b.png"] = ServingFixture.Png(220),
            ["study/c.dcm"] = dicom,
            ["study/corrupt.dcm"] = dicom.AsSpan(0, 400).ToArray(),
            ["study/notes.txt"] = "not a scan"u8.ToArray(),
            // Damage that once escaped a decoder untyped (retried until poisoned) or made it allocate gigabytes.
            ["study/lossless-damaged.dcm"] = await HostileScans.LosslessJpegWithZeroSamplingAsync(folder),
            ["study/j2k-damaged.dcm"] = await HostileScans.Jpeg2000WithHugeSizAsync(folder),
        };
        var events = new List<string>();
        foreach (var (name, bytes) in files)
        {
            var uploaded = await scans.UploadBlobAsync(name, BinaryData.FromBytes(bytes));
            // Every form an Event Grid subscription can deliver, in turn: Event Grid or CloudEvents schema, plain or base64.
            var form = events.Count % 4;
            events.Add(BlobCreatedEvent(scans.GetBlobClient(name).Uri, uploaded.Value.ETag.ToString(), (ScanEventSchema)(form / 2), (ScanEventEncoding)(form % 2)));
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
        Assert.Equal(["CorruptFile", "CorruptFile", "CorruptFile", "UnsupportedFormat"], errors.Select(e => e.Code).Order());
        Assert.Equal("benign", results.Single(r => r.Scan.BlobName == "study/a.png").Prediction.Label);
        Assert.Equal("normal", results.Single(r => r.Scan.BlobName == "study/b.png").Prediction.Label);
        Assert.All(results, r => Assert.NotNull(r.Scan.ETag));
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        var published = string.Join('\n', serving.Published(Topics.Results).Concat(serving.Published(Topics.Errors)).Select(File.ReadAllText));
        Assert.DoesNotContain("Doe", published, StringComparison.Ordinal);
        Assert.DoesNotContain("PID-0042", published, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asked_to_explain_the_function_stores_each_overlay_in_the_results_container_and_the_result_names_it()
    {
        await using var serving = await ServingFixture.CreateAsync(explain: true);
        var blobs = azurite.CreateBlobServiceClient();
        var scans = blobs.GetBlobContainerClient(ScanEventProcessor.ScansContainer);
        await scans.CreateIfNotExistsAsync();
        await blobs.GetBlobContainerClient(ScanEventProcessor.ResultsContainer).CreateIfNotExistsAsync();
        var uploaded = await scans.UploadBlobAsync("Doe_Jane/explain.png", BinaryData.FromBytes(ServingFixture.Png(30)));
        var processor = new ScanEventProcessor(serving.Pipeline, blobs, serving.Topics, NullLogger<ScanEventProcessor>.Instance);

        await new ClassifyScan(processor).RunAsync(BlobCreatedEvent(scans.GetBlobClient("Doe_Jane/explain.png").Uri, uploaded.Value.ETag.ToString(), ScanEventSchema.EventGrid, ScanEventEncoding.Plain), CancellationToken.None);

        var result = JsonSerializer.Deserialize<ClassificationResult>(File.ReadAllBytes(serving.Published(Topics.Results).Single()), ContractJson.Options)!;
        Assert.Equal($"results/{result.ResultId}.png", result.Explanation);
        var stored = await blobs.GetBlobContainerClient(ScanEventProcessor.ResultsContainer).GetBlobClient($"{result.ResultId}.png").DownloadContentAsync();
        Assert.Equal((byte)0x89, stored.Value.Content.ToArray()[0]);
        Assert.DoesNotContain("Doe", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_that_is_not_an_event_is_one_invalid_event_error_instead_of_five_retries_and_the_poison_queue()
    {
        await using var serving = await ServingFixture.CreateAsync();
        var processor = new ScanEventProcessor(serving.Pipeline, azurite.CreateBlobServiceClient(), serving.Topics, NullLogger<ScanEventProcessor>.Instance);

        await new ClassifyScan(processor).RunAsync("{not json: Doe_Jane.dcm", CancellationToken.None);
        await new ClassifyScan(processor).RunAsync("{not json: Doe_Jane.dcm", CancellationToken.None);

        var errors = serving.Published(Topics.Errors).Select(f => JsonSerializer.Deserialize<ScanError>(File.ReadAllBytes(f), ContractJson.Options)!).ToArray();
        var error = Assert.Single(errors.DistinctBy(e => e.ErrorId));
        Assert.Equal("InvalidEvent", error.Code);
        Assert.Equal(ScanEventProcessor.EventsQueue, error.Scan.Container);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Doe", string.Join('\n', serving.Published(Topics.Errors).Select(File.ReadAllText)), StringComparison.Ordinal);
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

    [Fact]
    public async Task End_to_end_through_azurite_and_the_service_bus_broker_nothing_lost_through_a_broker_outage()
    {
        await using var serving = await ServingFixture.CreateAsync();
        await using var broker = new LocalServiceBusBroker(Topics.Results, Topics.Errors);
        broker.Start();
        await using var bus = new Azure.Messaging.ServiceBus.ServiceBusClient(broker.ConnectionString, new Azure.Messaging.ServiceBus.ServiceBusClientOptions
        {
            // Few, fast retries: during the outage the function fails and the queue redelivers, as in Azure.
            RetryOptions = new Azure.Messaging.ServiceBus.ServiceBusRetryOptions { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(100), TryTimeout = TimeSpan.FromSeconds(2) },
        });
        await using var publisher = new ServiceBusOutcomePublisher(bus);
        var blobs = azurite.CreateBlobServiceClient();
        var scans = blobs.GetBlobContainerClient(ScanEventProcessor.ScansContainer);
        await scans.CreateIfNotExistsAsync();
        var dicom = DicomWriter.Write(SyntheticDicom.Grayscale(48, 48, 8, 8, false, (_, r, c) => r + c, modality: "US").WithPatient(), DicomTransferSyntax.ExplicitVRLittleEndian);
        var files = new Dictionary<string, byte[]>
        {
            ["e2e/1.png"] = ServingFixture.Png(40),
            ["e2e/2.png"] = ServingFixture.Png(200),
            ["e2e/3.dcm"] = dicom,
            ["e2e/4.dcm"] = dicom.AsSpan(0, 500).ToArray(),
            ["e2e/5.dcm"] = Mpeg2Labelled(),
            ["e2e/6.bin"] = [1, 2, 3, 4],
        };
        var queue = azurite.CreateQueueServiceClient().GetQueueClient("scan-events-e2e");
        await queue.CreateIfNotExistsAsync();
        var events = new List<string>();
        foreach (var (name, bytes) in files)
        {
            var uploaded = await scans.UploadBlobAsync(name, BinaryData.FromBytes(bytes));
            events.Add(BlobCreatedEvent(scans.GetBlobClient(name).Uri, uploaded.Value.ETag.ToString()));
        }

        events.Add(events[2]);
        foreach (var message in events)
        {
            await queue.SendMessageAsync(message);
        }

        var function = new ClassifyScan(new ScanEventProcessor(serving.Pipeline, blobs, publisher, NullLogger<ScanEventProcessor>.Instance));
        var failures = 0;
        var handled = 0;
        broker.Stop();
        var outageEnds = DateTime.UtcNow.AddSeconds(3);
        // The Functions host's loop: receive, run, delete on success; on failure the message becomes visible again.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (DateTime.UtcNow > outageEnds && failures > 0)
            {
                broker.Start();
                outageEnds = DateTime.MaxValue;
            }

            var received = (await queue.ReceiveMessagesAsync(maxMessages: 4, visibilityTimeout: TimeSpan.FromSeconds(1))).Value;
            if (received.Length == 0)
            {
                if ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0)
                {
                    break;
                }

                await Task.Delay(200);
                continue;
            }

            foreach (var message in received)
            {
                try
                {
                    await function.RunAsync(message.Body.ToString(), CancellationToken.None);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                    handled++;
                }
                catch (Exception exception) when (exception is Azure.Messaging.ServiceBus.ServiceBusException or TimeoutException or OperationCanceledException)
                {
                    failures++;
                }
            }
        }

        Assert.True(failures > 0, "the outage should have failed some deliveries");
        Assert.Equal(events.Count, handled);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        var results = broker.Messages(Topics.Results).Select(m => JsonSerializer.Deserialize<ClassificationResult>(m.Body, ContractJson.Options)!).ToArray();
        var errors = broker.Messages(Topics.Errors).Select(m => JsonSerializer.Deserialize<ScanError>(m.Body, ContractJson.Options)!).ToArray();
        Assert.Equal(["e2e/1.png", "e2e/2.png", "e2e/3.dcm"], results.Select(r => r.Scan.BlobName).Order());
        Assert.Equal(["e2e/4.dcm:CorruptFile", "e2e/5.dcm:UnsupportedTransferSyntax", "e2e/6.bin:UnsupportedFormat"], errors.Select(e => $"{e.Scan.BlobName}:{e.Code}").Order());
        var everything = string.Join('\n', broker.Messages(Topics.Results).Concat(broker.Messages(Topics.Errors)).Select(m => System.Text.Encoding.UTF8.GetString(m.Body)));
        Assert.DoesNotContain("Doe^Jane", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("PID-0042", everything, StringComparison.Ordinal);
    }

    /// <summary>An RLE file relabelled as MPEG-2 video, a transfer syntax GlcmMae does not decode.</summary>
    private static byte[] Mpeg2Labelled()
    {
        var rle = DicomWriter.Write(SyntheticDicom.Grayscale(16, 16, 8, 8, false, (_, r, c) => r + c, modality: "US"), DicomTransferSyntax.RleLossless);
        var oldUid = System.Text.Encoding.ASCII.GetBytes("1.2.840.10008.1.2.5\0");
        var newUid = System.Text.Encoding.ASCII.GetBytes("1.2.840.10008.1.2.4.100\0");
        var at = rle.AsSpan().IndexOf(oldUid);
        var patched = new List<byte>(rle.Length + 4);
        patched.AddRange(rle.AsSpan(0, at).ToArray());
        patched.AddRange(newUid);
        patched.AddRange(rle.AsSpan(at + oldUid.Length).ToArray());
        var bytes = patched.ToArray();
        // Element length (2 bytes before the value, explicit VR UI) and the meta group length (0002,0000) grow by 4.
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at - 2), (ushort)newUid.Length);
        var groupLength = 128 + 4 + 8;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(groupLength), System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(groupLength)) + 4);
        return bytes;
    }

    private static string BlobCreatedEvent(Uri url, string etag, ScanEventSchema schema = ScanEventSchema.EventGrid, ScanEventEncoding encoding = ScanEventEncoding.Plain) =>
        BlobCreatedEvents.Create(url, etag, ScanEventProcessor.ScansContainer, Uri.UnescapeDataString(url.AbsolutePath.Split("/scans/", 2)[1]), schema, encoding);
}
