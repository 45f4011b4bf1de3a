using GlcmMae.Shared.Models;
using GlcmMae.Shared.Storage;

namespace GlcmMae.Trainer.Registry;

/// <summary>Opens the model registry: the local store under the root folder, or the <c>models</c> container in Azure.</summary>
internal static class ModelStores
{
    /// <summary>Container (and local sub-folder) that holds models.</summary>
    public const string Container = "models";

    /// <summary>A registry for <paramref name="store"/> = local or azure.</summary>
    public static async Task<ModelRegistry> OpenAsync(string store, string root, CancellationToken cancellationToken)
    {
        if (string.Equals(store, "azure", StringComparison.OrdinalIgnoreCase))
        {
            var azure = new AzureBlobStore(StorageAccount.Container(Container));
            await azure.EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            return new ModelRegistry(azure);
        }

        return new ModelRegistry(new LocalFolderBlobStore(Path.Combine(root, Container)));
    }
}
