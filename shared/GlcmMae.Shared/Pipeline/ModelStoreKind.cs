namespace GlcmMae.Shared.Pipeline;

/// <summary>Where serving reads the model registry from.</summary>
public enum ModelStoreKind
{
    /// <summary>The <c>models</c> blob container (Azure Storage or Azurite).</summary>
    Azure,

    /// <summary>A local folder.</summary>
    Local,
}
