namespace GlcmMae.Shared.Pipeline;

/// <summary>Where serving publishes results and errors.</summary>
public enum OutcomeTransport
{
    /// <summary>The Service Bus topics.</summary>
    ServiceBus,

    /// <summary>One JSON file per message below a local folder (the file topics).</summary>
    File,
}
