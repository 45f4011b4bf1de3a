namespace GlcmMae.Shared.Messaging;

/// <summary>The embedded topics for <see cref="TopicMessage"/>s: one file per message under <c>{root}/{topic}/</c>, named by its id (a resend is a no-op).</summary>
public sealed class FileMessagePublisher(string root) : IMessagePublisher
{
    /// <summary>The folder holding one sub-folder per topic.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <inheritdoc />
    public async Task PublishAsync(IReadOnlyList<TopicMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            await FileTopicPublisher.WriteOnceAsync(Root, message.Topic, message.MessageId, message.Body, cancellationToken).ConfigureAwait(false);
        }
    }
}
