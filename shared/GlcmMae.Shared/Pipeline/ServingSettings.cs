namespace GlcmMae.Shared.Pipeline;

/// <summary>Where models come from and where outcomes go (section "Serving").</summary>
public sealed class ServingSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Serving";

    /// <summary>azure (container <see cref="ModelsContainer"/>) or local (folder <see cref="ModelsRoot"/>).</summary>
    public string ModelStore { get; set; } = "azure";

    /// <summary>Container of the model registry.</summary>
    public string ModelsContainer { get; set; } = "models";

    /// <summary>Folder of a local model registry.</summary>
    public string ModelsRoot { get; set; } = Path.Combine(".glcmmae", "models");

    /// <summary>servicebus or file.</summary>
    public string Messaging { get; set; } = "servicebus";

    /// <summary>Folder of the file topics.</summary>
    public string TopicsRoot { get; set; } = Path.Combine(".glcmmae", "topics");
}
