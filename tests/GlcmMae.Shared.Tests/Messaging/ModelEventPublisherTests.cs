using System.Text.Json;
using Azure.Messaging.ServiceBus;
using GlcmMae.Rehearsal.Messaging;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Models;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Messaging;

public sealed class ModelEventPublisherTests
{
    private static ModelEvent Refusal() => ModelEvent.From(
        "gb",
        new PromotionRecord
        {
            Version = "v2",
            Decision = ModelDecision.Refused,
            At = new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero),
            By = "publish gate",
            Reason = "worse than the serving model",
            Comparison = new ChampionComparison
            {
                Metric = "balancedAccuracy",
                ChampionVersion = "v1",
                Candidate = 0.7,
                Champion = 0.8,
                Difference = -0.1,
                Lower = -0.15,
                Upper = -0.05,
                Level = 0.95,
                Tolerance = 0.02,
                Images = 100,
                Groups = 50,
                Resamples = 2000,
            },
        },
        servingVersion: "v1",
        previousVersion: "v1");

    [Fact]
    public async Task Events_reach_the_model_events_topic_once_with_the_decision_to_filter_on()
    {
        await using var broker = new LocalServiceBusBroker(Topics.ModelEvents);
        broker.Start();
        await using var client = new ServiceBusClient(broker.ConnectionString);
        await using var publisher = new ServiceBusModelEventPublisher(client);
        var refusal = Refusal();

        await publisher.PublishAsync(refusal);
        await publisher.PublishAsync(refusal);

        var message = Assert.Single(broker.Messages(Topics.ModelEvents));
        Assert.Equal(1, broker.DuplicatesDropped);
        Assert.Equal(refusal.EventId, message.MessageId);
        Assert.Equal("Refused", message.Subject);
        Assert.Equal("Refused", message.Properties["decision"]);
        Assert.Equal("v2", message.Properties["modelVersion"]);
        Assert.Equal("v1", message.Properties["servingVersion"]);
        var body = JsonSerializer.Deserialize<ModelEvent>(message.Body, ContractJson.Options)!;
        Assert.Equal(ModelDecision.Refused, body.Decision);
        Assert.Equal(-0.1, body.Comparison!.Difference);
        Assert.Contains("\"decision\":\"Refused\"", System.Text.Encoding.UTF8.GetString(message.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_folder_topic_writes_one_file_per_event()
    {
        using var temp = new TempFolder();
        var publisher = new FileModelEventPublisher(temp.Path);
        var refusal = Refusal();

        await publisher.PublishAsync(refusal);
        await publisher.PublishAsync(refusal);

        var file = Assert.Single(Directory.GetFiles(Path.Combine(temp.Path, Topics.ModelEvents)));
        Assert.Equal(refusal.EventId + ".json", Path.GetFileName(file));
        Assert.Equal(refusal, JsonSerializer.Deserialize<ModelEvent>(await File.ReadAllBytesAsync(file), ContractJson.Options));
    }

    [Fact]
    public void The_event_id_depends_on_the_decision_and_its_time()
    {
        var refusal = Refusal();
        var later = ModelEvent.From("gb", new PromotionRecord { Version = "v2", Decision = ModelDecision.Refused, At = refusal.At.AddSeconds(1), By = "x", Reason = "y" }, "v1", "v1");
        var promoted = ModelEvent.From("gb", new PromotionRecord { Version = "v2", Decision = ModelDecision.Promoted, At = refusal.At, By = "x", Reason = "y" }, "v2", "v1");

        Assert.Equal(3, new[] { refusal.EventId, later.EventId, promoted.EventId }.Distinct().Count());
    }
}
