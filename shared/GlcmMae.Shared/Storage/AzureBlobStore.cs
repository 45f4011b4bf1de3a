using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace GlcmMae.Shared.Storage;

/// <summary>A blob store over one Azure Blob Storage container (or Azurite): ETag conditions map to If-Match / If-None-Match.</summary>
public sealed class AzureBlobStore(BlobContainerClient container) : IBlobStore
{
    /// <summary>Uploads larger than this go up in blocks of this size, several at a time.</summary>
    public const int BlockSize = 4 * 1024 * 1024;

    /// <inheritdoc />
    public string Location => container.Uri.GetLeftPart(UriPartial.Path);

    /// <summary>The container (created on first use by <see cref="EnsureContainerAsync"/>).</summary>
    public BlobContainerClient Container => container;

    /// <summary>Creates the container if it does not exist.</summary>
    /// <remarks>
    /// Asks first: in Azure the containers exist (infra/ creates them) and the identities hold data roles on single
    /// containers, so the create request is made only where a container is really missing (Azurite, a fresh account).
    /// The existence check is Get Container Properties, which needs .../blobServices/containers/read; Storage Blob Data
    /// Reader and Contributor carry it (https://learn.microsoft.com/rest/api/storageservices/authorize-with-azure-active-directory#permissions-for-calling-data-operations,
    /// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage); unverified here.
    /// </remarks>
    public async Task EnsureContainerAsync(CancellationToken cancellationToken = default)
    {
        if (!await container.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<BlobContent?> TryReadAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await container.GetBlobClient(path).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return new BlobContent(result.Value.Content.ToArray(), result.Value.Details.ETag.ToString());
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<string> WriteAsync(string path, Stream content, BlobWriteCondition condition, CancellationToken cancellationToken = default)
    {
        var options = new BlobUploadOptions
        {
            Conditions = condition.IfNotExists ? new BlobRequestConditions { IfNoneMatch = ETag.All }
                : condition.IfMatch is { } etag ? new BlobRequestConditions { IfMatch = new ETag(etag) }
                : null,
            TransferOptions = new StorageTransferOptions { InitialTransferSize = BlockSize, MaximumTransferSize = BlockSize, MaximumConcurrency = 4 },
        };
        try
        {
            var result = await container.GetBlobClient(path).UploadAsync(content, options, cancellationToken).ConfigureAwait(false);
            return result.Value.ETag.ToString();
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            throw new BlobConditionFailedException(path, condition.IfNotExists ? $"{path} exists already and is immutable." : $"{path} changed since it was read; read it again and retry.");
        }
    }

    /// <inheritdoc />
    public async Task<bool> DownloadToAsync(string path, string localFile, CancellationToken cancellationToken = default)
    {
        try
        {
            await container.GetBlobClient(path).DownloadToAsync(localFile, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            File.Delete(localFile);
            return false;
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        await container.GetBlobClient(path).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return item.Name;
        }
    }

    /// <summary>Client options with exponential retries on transient failures (throttling, timeouts, 5xx).</summary>
    public static BlobClientOptions ClientOptions() => new()
    {
        Retry = { Mode = Azure.Core.RetryMode.Exponential, MaxRetries = 5, Delay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(10) },
    };
}
