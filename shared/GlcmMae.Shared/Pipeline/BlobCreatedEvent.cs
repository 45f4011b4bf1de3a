namespace GlcmMae.Shared.Pipeline;

/// <summary>One BlobCreated event read from a <c>scan-events</c> message.</summary>
/// <param name="Url">The blob's URL.</param>
/// <param name="ETag">The ETag of the version the event announces, when the event carries one.</param>
/// <param name="EventId">The event's id (Event Grid <c>id</c>, CloudEvents <c>id</c>), to correlate results with the event.</param>
public sealed record BlobCreatedEvent(Uri Url, string? ETag, string EventId);
