using System.Text.Json;
using Azure.Messaging.ServiceBus;
using GlcmMae.Shared.Contracts;

namespace GlcmMae.Shared.Messaging;

/// <summary>Sends model events to the <c>model-events</c> topic, with the event id as MessageId for duplicate detection and the decision as Subject for filters.</summary>
public sealed class ServiceBusModelEventPublisher(ServiceBusClient client) : IModelEventPublisher, IAsyncDisposable
{
    private readonly ServiceBusSender _sender = client.CreateSender(Topics.ModelEvents);

    /// <inheritdoc />
    public async Task PublishAsync(ModelEvent modelEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelEvent);
        var message = new ServiceBusMessage(JsonSerializer.SerializeToUtf8Bytes(modelEvent, ContractJson.Options))
        {
            MessageId = modelEvent.EventId,
            Subject = modelEvent.Decision.ToString(),
            ContentType = "application/json",
        };
        message.ApplicationProperties["schemaVersion"] = modelEvent.SchemaVersion;
        message.ApplicationProperties["modelName"] = modelEvent.Name;
        message.ApplicationProperties["modelVersion"] = modelEvent.Version;
        message.ApplicationProperties["decision"] = modelEvent.Decision.ToString();
        message.ApplicationProperties["servingVersion"] = modelEvent.ServingVersion;
        await _sender.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _sender.DisposeAsync();
}
