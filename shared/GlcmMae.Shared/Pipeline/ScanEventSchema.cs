namespace GlcmMae.Shared.Pipeline;

/// <summary>The schema of an Event Grid delivery, as the event subscription's <c>eventDeliverySchema</c> chooses it.</summary>
public enum ScanEventSchema
{
    /// <summary>Event Grid's own schema (<c>eventType</c>, <c>topic</c>, <c>dataVersion</c>).</summary>
    EventGrid,

    /// <summary>CloudEvents 1.0 (<c>specversion</c>, <c>type</c>, <c>source</c>).</summary>
    CloudEvents,
}
