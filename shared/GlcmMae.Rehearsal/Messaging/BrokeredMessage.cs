using Microsoft.Azure.Amqp;

namespace GlcmMae.Rehearsal.Messaging;

/// <summary>What the local broker accepted: the Service Bus message fields the publisher sets, and when it arrived.</summary>
public sealed record BrokeredMessage(string? MessageId, string? Subject, string? ContentType, string? CorrelationId, IReadOnlyDictionary<string, object> Properties, byte[] Body, DateTimeOffset ReceivedAt)
{
    internal static BrokeredMessage From(AmqpMessage message, DateTimeOffset receivedAt)
    {
        var properties = message.ApplicationProperties?.Map.ToDictionary(p => p.Key.ToString()!, p => p.Value) ?? [];
        using var body = new MemoryStream();
        foreach (var data in message.DataBody ?? [])
        {
            var segment = (ArraySegment<byte>)data.Value;
            body.Write(segment);
        }

        return new BrokeredMessage(
            message.Properties?.MessageId?.ToString(),
            message.Properties?.Subject,
            message.Properties?.ContentType.Value,
            message.Properties?.CorrelationId?.ToString(),
            properties,
            body.ToArray(),
            receivedAt);
    }
}
