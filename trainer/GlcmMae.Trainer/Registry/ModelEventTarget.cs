namespace GlcmMae.Trainer.Registry;

/// <summary>Where model decisions are announced.</summary>
internal enum ModelEventTarget
{
    /// <summary>Service Bus when one is configured, else the folder topic under the root.</summary>
    Auto,

    /// <summary>The folder topic: <c>&lt;root&gt;/topics/model-events/</c>.</summary>
    File,

    /// <summary>The <c>model-events</c> Service Bus topic.</summary>
    ServiceBus,

    /// <summary>Nowhere (the registry's current.json still records every decision).</summary>
    None,
}
