using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;

namespace GlcmMae.Shared.Messaging;

/// <summary>Sends <see cref="TopicMessage"/>s to Service Bus topics, one sender per topic, with the message id for duplicate detection.</summary>
public sealed class ServiceBusMessagePublisher(ServiceBusClient client) : IMessagePublisher, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task PublishAsync(IReadOnlyList<TopicMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            var sender = _senders.GetOrAdd(message.Topic, client.CreateSender);
            var outgoing = new ServiceBusMessage(message.Body)
            {
                MessageId = message.MessageId,
                Subject = message.Subject,
                ContentType = message.ContentType,
                CorrelationId = message.CorrelationId,
            };
            foreach (var (key, value) in message.Properties)
            {
                outgoing.ApplicationProperties[key] = value;
            }

            await sender.SendMessageAsync(outgoing, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync().ConfigureAwait(false);
        }
    }
}
