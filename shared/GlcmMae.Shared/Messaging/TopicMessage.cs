namespace GlcmMae.Shared.Messaging;

/// <summary>A message for any topic: id (duplicate detection), subject, content type, body and the properties subscriptions filter on.</summary>
public sealed record TopicMessage(string Topic, string MessageId, string Subject, string ContentType, byte[] Body, IReadOnlyDictionary<string, object> Properties)
{
    /// <summary>The id of the event or message this one follows from, if any.</summary>
    public string? CorrelationId { get; init; }
}
