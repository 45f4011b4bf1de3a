using System.Diagnostics;
using GlcmMae.Shared.Diagnostics;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using GlcmMae.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace GlcmMae.Functions.Tests.Queue;

/// <summary>One trace per scan, from the queue message to the published outcome, exported through OpenTelemetry.</summary>
public sealed class ScanTracingTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_scan_is_one_trace_from_the_event_through_every_stage_to_the_message_that_carries_it()
    {
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(GlcmMaeTelemetry.SourceName).AddInMemoryExporter(exported).Build();
        await using var serving = await ServingFixture.CreateAsync();
        var blobs = azurite.CreateBlobServiceClient();
        var scans = blobs.GetBlobContainerClient(ScanEventProcessor.ScansContainer);
        await scans.CreateIfNotExistsAsync();
        var name = $"Doe_Jane/{Guid.NewGuid():N}.png";
        var uploaded = await scans.UploadBlobAsync(name, BinaryData.FromBytes(ServingFixture.Png(60)));
        var message = BlobCreatedEvents.Create(scans.GetBlobClient(name).Uri, uploaded.Value.ETag.ToString(), ScanEventProcessor.ScansContainer, name, ScanEventSchema.CloudEvents, ScanEventEncoding.Base64);
        var eventId = ScanEventMessage.Parse(message).Created.Single().EventId;
        var processor = new ScanEventProcessor(serving.Pipeline, blobs, serving.Topics, NullLogger<ScanEventProcessor>.Instance);

        var outcome = Assert.Single(await processor.ProcessAsync(message, CancellationToken.None));
        tracing.ForceFlush();

        // Other tests in this process trace too: this scan's trace is the one its event id names.
        var classify = exported.Single(a => a.DisplayName == "scan.classify" && (string?)a.GetTagItem("glcmmae.event.id") == eventId);
        var trace = exported.Where(a => a.TraceId == classify.TraceId).ToArray();
        var root = trace.Single(a => a.DisplayName == "scan-events.process");
        Assert.Equal(ActivityKind.Consumer, root.Kind);
        Assert.Equal(root.SpanId, classify.ParentSpanId);
        Assert.Equal(["scan.decode", "scan.inference", "scan.preprocess", "scan.read"], trace.Where(a => a.ParentSpanId == classify.SpanId).Select(a => a.DisplayName).Order());
        Assert.Equal(root.SpanId, trace.Single(a => a.DisplayName == "scan-events.publish").ParentSpanId);
        Assert.Equal(outcome.Result!.Prediction.Label, classify.GetTagItem("glcmmae.outcome"));

        // The message published for the scan continues its trace.
        Assert.Equal(classify.Id, OutcomeMessage.From(outcome).Properties["Diagnostic-Id"]);

        // No tag carries the blob name (it names a patient here).
        Assert.DoesNotContain(trace.SelectMany(a => a.TagObjects), t => t.Value?.ToString()?.Contains("Doe", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_damaged_scan_is_traced_with_the_failing_stage_marked()
    {
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(GlcmMaeTelemetry.SourceName).AddInMemoryExporter(exported).Build();
        await using var serving = await ServingFixture.CreateAsync();
        var input = ScanInput.FromBytes("scans", "broken.png", new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0 }) with { CorrelationId = Guid.NewGuid().ToString() };

        var outcome = await serving.Pipeline.ProcessAsync(input, CancellationToken.None);
        tracing.ForceFlush();

        var classify = exported.Single(a => a.DisplayName == "scan.classify" && (string?)a.GetTagItem("glcmmae.event.id") == input.CorrelationId);
        var decode = exported.Single(a => a.ParentSpanId == classify.SpanId && a.DisplayName == "scan.decode");
        Assert.Equal(ActivityStatusCode.Error, classify.Status);
        Assert.Equal((ActivityStatusCode.Error, outcome.Error!.Code), (decode.Status, decode.StatusDescription));
        Assert.Equal(classify.Id, OutcomeMessage.From(outcome).Properties["Diagnostic-Id"]);
    }
}
