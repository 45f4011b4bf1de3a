using Azure.Messaging.ServiceBus;
using GlcmMae.Shared.Pipeline;

namespace GlcmMae.Shared.Messaging;

/// <summary>Publishes to the Service Bus topics: one sender per topic, messages batched, ids for duplicate detection.</summary>
public sealed class ServiceBusOutcomePublisher(ServiceBusClient client) : IOutcomePublisher, IAsyncDisposable
{
    private readonly ServiceBusSender _results = client.CreateSender(Topics.Results);
    private readonly ServiceBusSender _errors = client.CreateSender(Topics.Errors);

    /// <inheritdoc />
    public async Task PublishAsync(IReadOnlyList<ScanOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var group in outcomes.Select(OutcomeMessage.From).GroupBy(m => m.Topic))
        {
            var sender = group.Key == Topics.Results ? _results : _errors;
            var pending = new Queue<OutcomeMessage>(group);
            while (pending.Count > 0)
            {
                using var batch = await sender.CreateMessageBatchAsync(cancellationToken).ConfigureAwait(false);
                while (pending.Count > 0 && batch.TryAddMessage(ToServiceBus(pending.Peek())))
                {
                    pending.Dequeue();
                }

                if (batch.Count == 0)
                {
                    // A single message larger than a batch: send it alone and let the broker accept or refuse it.
                    await sender.SendMessageAsync(ToServiceBus(pending.Dequeue()), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await sender.SendMessagesAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _results.DisposeAsync().ConfigureAwait(false);
        await _errors.DisposeAsync().ConfigureAwait(false);
    }

    private static ServiceBusMessage ToServiceBus(OutcomeMessage message)
    {
        var result = new ServiceBusMessage(message.Body)
        {
            MessageId = message.MessageId,
            Subject = message.Subject,
            ContentType = "application/json",
            CorrelationId = message.CorrelationId,
        };
        foreach (var (key, value) in message.Properties)
        {
            result.ApplicationProperties[key] = value;
        }

        return result;
    }
}
