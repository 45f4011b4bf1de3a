using System.Text.Json;
using Azure.Messaging.ServiceBus;
using GlcmMae.Rehearsal.Messaging;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Messaging;

public sealed class ServiceBusOutcomePublisherTests
{
    private static ScanOutcome Result(string blob, string label) => new(
        new ClassificationResult
        {
            ResultId = MessageIds.For($"https://acct/scans/{blob}", "\"e\"", "v1"),
            Scan = new ScanReference { Container = "scans", BlobName = blob, Modality = "US" },
            Model = new ModelReference("gb", "v1", "00", "11", "CPUExecutionProvider"),
            Prediction = new PredictionResult(label, 1, new Dictionary<string, double> { [label] = 0.9, ["other"] = 0.1 }),
            Timings = new StageTimings { Total = 5 },
            ProcessedAt = DateTimeOffset.UtcNow,
        },
        null,
        "event-" + blob);

    private static ScanOutcome Error(string blob) => new(
        null,
        new ScanError { ErrorId = MessageIds.For($"https://acct/scans/{blob}", null, "v1"), Scan = new ScanReference { Container = "scans", BlobName = blob }, Code = "CorruptFile", Message = "truncated", ProcessedAt = DateTimeOffset.UtcNow },
        null);

    private static ServiceBusClient Client(LocalServiceBusBroker broker) => new(broker.ConnectionString, new ServiceBusClientOptions
    {
        RetryOptions = new ServiceBusRetryOptions { Mode = ServiceBusRetryMode.Exponential, MaxRetries = 8, Delay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2), TryTimeout = TimeSpan.FromSeconds(5) },
    });

    [Fact]
    public async Task Results_and_errors_reach_their_topics_with_the_contract_fields_and_duplicates_are_dropped()
    {
        await using var broker = new LocalServiceBusBroker(Topics.Results, Topics.Errors);
        broker.Start();
        await using var client = Client(broker);
        await using var publisher = new ServiceBusOutcomePublisher(client);
        var malignant = Result("a.dcm", "malignant");

        await publisher.PublishAsync([malignant, Result("b.dcm", "benign"), Error("c.dcm")]);
        await publisher.PublishAsync([malignant]);

        var results = broker.Messages(Topics.Results);
        Assert.Equal(2, results.Count);
        Assert.Equal(1, broker.DuplicatesDropped);
        var first = results.Single(m => m.MessageId == malignant.MessageId);
        Assert.Equal("malignant", first.Subject);
        Assert.Equal("application/json", first.ContentType);
        Assert.Equal("event-a.dcm", first.CorrelationId);
        Assert.Equal("malignant", first.Properties["label"]);
        Assert.Equal("gb", first.Properties["modelName"]);
        Assert.Equal("v1", first.Properties["modelVersion"]);
        Assert.Equal("US", first.Properties["modality"]);
        Assert.Equal(ClassificationResult.CurrentSchemaVersion, Convert.ToInt32(first.Properties["schemaVersion"], System.Globalization.CultureInfo.InvariantCulture));
        var body = JsonSerializer.Deserialize<ClassificationResult>(first.Body, ContractJson.Options)!;
        Assert.Equal("a.dcm", body.Scan.BlobName);
        var error = Assert.Single(broker.Messages(Topics.Errors));
        Assert.Equal("CorruptFile", error.Subject);
    }

    [Fact]
    public async Task A_broker_outage_is_ridden_out_by_retries_and_nothing_is_lost()
    {
        await using var broker = new LocalServiceBusBroker(Topics.Results, Topics.Errors);
        broker.Start();
        await using var client = Client(broker);
        await using var publisher = new ServiceBusOutcomePublisher(client);
        await publisher.PublishAsync([Result("before.dcm", "benign")]);

        broker.Stop();
        var during = publisher.PublishAsync([Result("during-1.dcm", "benign"), Result("during-2.dcm", "normal")]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(during.IsCompleted);
        broker.Start();
        await during.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(["before.dcm", "during-1.dcm", "during-2.dcm"], broker.Messages(Topics.Results).Select(m => JsonSerializer.Deserialize<ClassificationResult>(m.Body, ContractJson.Options)!.Scan.BlobName).Order());
    }
}
