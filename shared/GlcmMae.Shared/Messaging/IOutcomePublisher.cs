using GlcmMae.Shared.Pipeline;

namespace GlcmMae.Shared.Messaging;

/// <summary>Publishes results to <c>scan-results</c> and errors to <c>scan-errors</c>; a failure throws (nothing is dropped silently).</summary>
public interface IOutcomePublisher
{
    /// <summary>Publishes the outcomes, batched where the transport allows.</summary>
    Task PublishAsync(IReadOnlyList<ScanOutcome> outcomes, CancellationToken cancellationToken = default);
}
