namespace GlcmMae.Shared.Messaging;

/// <summary>Publishes messages to named topics (study results, FHIR reports); a failure throws, and a resend of the same id is a duplicate the transport drops.</summary>
public interface IMessagePublisher
{
    /// <summary>Publishes the messages, in order.</summary>
    Task PublishAsync(IReadOnlyList<TopicMessage> messages, CancellationToken cancellationToken = default);
}
