namespace GlcmMae.Shared.Pipeline;

/// <summary>Where models come from and where outcomes go (section "Serving").</summary>
public sealed class ServingSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Serving";

    /// <summary>Azure (container <see cref="ModelsContainer"/>) or Local (folder <see cref="ModelsRoot"/>); bound case-insensitively, so "azure" and "local" work.</summary>
    public ModelStoreKind ModelStore { get; set; } = ModelStoreKind.Azure;

    /// <summary>Container of the model registry.</summary>
    public string ModelsContainer { get; set; } = "models";

    /// <summary>Folder of a local model registry.</summary>
    public string ModelsRoot { get; set; } = Path.Combine(".glcmmae", "models");

    /// <summary>ServiceBus or File (<see cref="TopicsRoot"/>); bound case-insensitively, so "servicebus" and "file" work.</summary>
    public OutcomeTransport Messaging { get; set; } = OutcomeTransport.ServiceBus;

    /// <summary>Folder of the file topics.</summary>
    public string TopicsRoot { get; set; } = Path.Combine(".glcmmae", "topics");
}
