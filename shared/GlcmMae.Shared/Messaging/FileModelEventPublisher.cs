using System.Text.Json;
using GlcmMae.Shared.Contracts;

namespace GlcmMae.Shared.Messaging;

/// <summary>The embedded <c>model-events</c> topic: one JSON file per event under <c>{root}/model-events/</c>, named by its id (a resend is a no-op).</summary>
public sealed class FileModelEventPublisher(string root) : IModelEventPublisher
{
    /// <summary>The folder holding one sub-folder per topic.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <inheritdoc />
    public async Task PublishAsync(ModelEvent modelEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelEvent);
        await FileTopicPublisher.WriteOnceAsync(Root, Topics.ModelEvents, modelEvent.EventId, JsonSerializer.SerializeToUtf8Bytes(modelEvent, ContractJson.Options), cancellationToken).ConfigureAwait(false);
    }
}
