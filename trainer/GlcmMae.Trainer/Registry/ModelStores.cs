using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Storage;
using GlcmMae.Trainer.Hosting;

namespace GlcmMae.Trainer.Registry;

/// <summary>Opens the model registry: the local store under the root folder, or the <c>models</c> container in Azure.</summary>
internal static class ModelStores
{
    /// <summary>Container (and local sub-folder) that holds models.</summary>
    public const string Container = "models";

    /// <summary>The registry of <paramref name="store"/>, the Azure one on the account of the <c>Storage</c> settings.</summary>
    public static Task<ModelRegistry> OpenAsync(ModelStoreKind store, string root, CancellationToken cancellationToken) =>
        OpenAsync(store, root, null, cancellationToken);

    /// <summary>The registry of <paramref name="store"/>; <paramref name="connections"/> null reads the <c>Storage</c> settings.</summary>
    public static async Task<ModelRegistry> OpenAsync(ModelStoreKind store, string root, AzureConnections? connections, CancellationToken cancellationToken)
    {
        if (store == ModelStoreKind.Azure)
        {
            var azure = new AzureBlobStore((connections ?? TrainerSettings.Connections()).Container(Container));
            await azure.EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            return new ModelRegistry(azure);
        }

        return new ModelRegistry(new LocalFolderBlobStore(Path.Combine(root, Container)));
    }

    /// <summary>A published version from the registry of <paramref name="store"/>: <paramref name="version"/>, or the serving one when null.</summary>
    /// <exception cref="ArgumentException">No version was named and none is serving.</exception>
    public static async Task<(LoadedModel Model, string Version)> LoadAsync(ModelStoreKind store, string root, string name, string? version, CancellationToken cancellationToken)
    {
        var registry = await OpenAsync(store, root, cancellationToken).ConfigureAwait(false);
        var chosen = version
            ?? (await registry.GetCurrentAsync(name, cancellationToken).ConfigureAwait(false))?.Current.Version
            ?? throw new ArgumentException($"No version of {name} is serving; name one with --version (glcmmae models list).");
        return (await registry.LoadAsync(name, chosen, cancellationToken).ConfigureAwait(false), chosen);
    }
}
