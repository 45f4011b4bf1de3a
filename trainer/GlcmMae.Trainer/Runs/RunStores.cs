using GlcmMae.Shared.Storage;

namespace GlcmMae.Trainer.Runs;

/// <summary>Where run copies live: the <c>runs</c> container in Azure, or <c>&lt;root&gt;/runs</c> beside the local registry.</summary>
internal static class RunStores
{
    /// <summary>Container (and local sub-folder) of run copies.</summary>
    public const string Container = "runs";

    /// <summary>The mirror of one run: <c>{model}/{run}/</c> in the store that goes with <paramref name="store"/> (local or azure).</summary>
    public static async Task<RunMirror> OpenAsync(string store, string root, string modelName, string workFolder, CancellationToken cancellationToken)
    {
        IBlobStore blobs;
        if (string.Equals(store, "azure", StringComparison.OrdinalIgnoreCase))
        {
            var azure = new AzureBlobStore(StorageAccount.Container(Container));
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
