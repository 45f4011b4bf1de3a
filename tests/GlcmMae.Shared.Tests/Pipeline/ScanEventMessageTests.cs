using System.Text;
using GlcmMae.Shared.Pipeline;

namespace GlcmMae.Shared.Tests.Pipeline;

/// <summary>
/// Queue messages as Event Grid can deliver them: payloads with every field of Microsoft's BlobCreated sample events
/// (https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage), in the Event Grid and CloudEvents 1.0
/// schemas, one or several, as plain JSON and base64.
/// </summary>
public sealed class ScanEventMessageTests
{
    private const string Url = "https://myaccount.blob.core.windows.net/scans/Doe_Jane/scan-1.dcm";
    private const string ETag = "\\\"0x8D4BCC2E4835CD0\\\"";

    // The data of a BlobCreated event, the same in both schemas.
    private const string Data = $$"""
        {
          "api": "PutBlockList",
          "clientRequestId": "6d79dbfb-0e37-4fc4-981f-442c9ca65760",
          "requestId": "831e1650-001e-001b-66ab-eeb76e000000",
          "eTag": "{{ETag}}",
          "contentType": "application/dicom",
          "contentLength": 524288,
          "blobType": "BlockBlob",
          "url": "{{Url}}",
          "sequencer": "00000000000004420000000000028963",
          "storageDiagnostics": { "batchId": "b68529f3-68cd-4744-baa4-3c0498ec19f0" }
        }
        """;

    private static string EventGridSample(string id, string type = "Microsoft.Storage.BlobCreated") => $$"""
        {
          "topic": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/Storage/providers/Microsoft.Storage/storageAccounts/myaccount",
          "subject": "/blobServices/default/containers/scans/blobs/Doe_Jane/scan-1.dcm",
          "eventType": "{{type}}",
          "eventTime": "2017-06-26T18:41:00.9584103Z",
          "id": "{{id}}",
          "data": {{Data}},
          "dataVersion": "",
          "metadataVersion": "1"
        }
        """;

    private static string CloudEventSample(string id, string type = "Microsoft.Storage.BlobCreated") => $$"""
        {
          "source": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/Storage/providers/Microsoft.Storage/storageAccounts/myaccount",
          "subject": "/blobServices/default/containers/scans/blobs/Doe_Jane/scan-1.dcm",
          "type": "{{type}}",
          "time": "2017-06-26T18:41:00.9584103Z",
          "id": "{{id}}",
          "data": {{Data}},
          "specversion": "1.0"
        }
        """;

    public static TheoryData<ScanEventSchema, ScanEventEncoding, bool> Forms()
    {
        var data = new TheoryData<ScanEventSchema, ScanEventEncoding, bool>();
        foreach (var schema in Enum.GetValues<ScanEventSchema>())
        {
            foreach (var encoding in Enum.GetValues<ScanEventEncoding>())
            {
                data.Add(schema, encoding, false);
                data.Add(schema, encoding, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Microsofts_sample_events_are_read_in_both_schemas_encodings_and_as_arrays(ScanEventSchema schema, ScanEventEncoding encoding, bool array)
    {
        Func<string, string, string> sample = schema == ScanEventSchema.CloudEvents ? CloudEventSample : EventGridSample;
        var json = array ? $"[{sample("id-1", "Microsoft.Storage.BlobCreated")},{sample("id-2", "Microsoft.Storage.BlobCreated")}]" : sample("id-1", "Microsoft.Storage.BlobCreated");

        var (created, skipped) = ScanEventMessage.Parse(BlobCreatedEvents.Encode(json, encoding));

        Assert.Equal(array ? ["id-1", "id-2"] : ["id-1"], created.Select(e => e.EventId));
        Assert.All(created, e => Assert.Equal(new Uri(Url), e.Url));
        Assert.All(created, e => Assert.Equal("\"0x8D4BCC2E4835CD0\"", e.ETag));
        Assert.Equal(0, skipped);
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void What_upload_announce_writes_is_read_back_in_every_form(ScanEventSchema schema, ScanEventEncoding encoding, bool array)
    {
        var uri = new Uri("http://127.0.0.1:10000/devstoreaccount1/scans/study/a.dcm");
        var message = array
            ? BlobCreatedEvents.Encode(new System.Text.Json.Nodes.JsonArray(BlobCreatedEvents.Event(uri, "\"0x1\"", "scans", "study/a.dcm", schema), BlobCreatedEvents.Event(uri, "\"0x1\"", "scans", "study/a.dcm", schema)).ToJsonString(), encoding)
            : BlobCreatedEvents.Create(uri, "\"0x1\"", "scans", "study/a.dcm", schema, encoding);

        var (created, _) = ScanEventMessage.Parse(message);

        Assert.Equal(array ? 2 : 1, created.Count);
        Assert.All(created, e => Assert.Equal(uri, e.Url));
        Assert.Equal(encoding == ScanEventEncoding.Base64, !message.StartsWith('{') && !message.StartsWith('['));
    }

    [Theory]
    [InlineData(ScanEventSchema.EventGrid)]
    [InlineData(ScanEventSchema.CloudEvents)]
    public void Other_event_types_are_skipped(ScanEventSchema schema)
    {
        Func<string, string, string> sample = schema == ScanEventSchema.CloudEvents ? CloudEventSample : EventGridSample;

        var (created, skipped) = ScanEventMessage.Parse($"[{sample("deleted", "Microsoft.Storage.BlobDeleted")},{sample("created", "Microsoft.Storage.BlobCreated")}]");

        Assert.Equal("created", Assert.Single(created).EventId);
        Assert.Equal(1, skipped);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("Doe_Jane scan-1.dcm uploaded!", "neither JSON nor base64")]
    [InlineData("RG9lX0phbmUgc2Nhbi0xLmRjbQ==", "base64, but what it encodes is not JSON")]
    [InlineData("[1, 2]", "holds no event object")]
    [InlineData("""{"subject": "Doe_Jane/scan-1.dcm"}""", "not a valid Event Grid event")]
    public void A_message_that_is_not_an_event_says_what_it_is_without_quoting_it(string message, string expected)
    {
        var error = Assert.Throws<ScanEventFormatException>(() => ScanEventMessage.Parse(message));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Doe", error.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidEvent", error.ErrorCode);
    }

    [Fact]
    public void Base64_and_plain_bodies_of_the_same_event_read_the_same()
    {
        var json = EventGridSample("same");

        var plain = ScanEventMessage.Parse(json).Created.Single();
        var encoded = ScanEventMessage.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes(json))).Created.Single();

        Assert.Equal(plain, encoded);
    }
}
