using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Storage;
using GlcmMae.Trainer.Hosting;

namespace GlcmMae.Trainer.Runs;

/// <summary>Where run copies live: the <c>runs</c> container in Azure, or <c>&lt;root&gt;/runs</c> beside the local registry.</summary>
internal static class RunStores
{
    /// <summary>Container (and local sub-folder) of run copies.</summary>
    public const string Container = "runs";

    /// <summary>The mirror of one run: <c>{model}/{run}/</c> in the store that goes with <paramref name="store"/>; <paramref name="connections"/> null reads the <c>Storage</c> settings.</summary>
    public static async Task<RunMirror> OpenAsync(ModelStoreKind store, string root, string modelName, string workFolder, AzureConnections? connections, CancellationToken cancellationToken)
    {
        IBlobStore blobs;
        if (store == ModelStoreKind.Azure)
        {
            var azure = new AzureBlobStore((connections ?? TrainerSettings.Connections()).Container(Container));
            await azure.EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            blobs = azure;
        }
        else
        {
            blobs = new LocalFolderBlobStore(Path.Combine(root, Container));
        }

        return new RunMirror(blobs, $"{modelName}/{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(workFolder)))}", workFolder);
    }
}
