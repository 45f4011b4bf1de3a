using GlcmMae.Shared.Contracts;

namespace GlcmMae.Shared.Messaging;

/// <summary>Publishes model decisions to <c>model-events</c>; a failure throws (the decision is in current.json, the event must not vanish silently).</summary>
public interface IModelEventPublisher
{
    /// <summary>Publishes one event.</summary>
    Task PublishAsync(ModelEvent modelEvent, CancellationToken cancellationToken = default);
}
