using Azure.Identity;
using Azure.Storage.Blobs;

namespace GlcmMae.Shared.Storage;

/// <summary>Blob clients from the environment: a connection string (Azurite, keys) or an account URL with an Azure identity.</summary>
public static class StorageAccount
{
    /// <summary>Environment variable with a storage connection string.</summary>
    public const string ConnectionStringVariable = "GLCMMAE_STORAGE_CONNECTION_STRING";

    /// <summary>Environment variable with a blob endpoint URL, used with DefaultAzureCredential.</summary>
    public const string AccountUrlVariable = "GLCMMAE_STORAGE_ACCOUNT_URL";

    /// <summary>The blob endpoint setting the Bicep templates give the apps (identity-based).</summary>
    public const string BlobServiceUriVariable = "GLCMMAE_Storage__BlobServiceUri";

    /// <summary>A client for one container, with exponential retries on transient failures.</summary>
    public static BlobContainerClient Container(string container, string? connectionString = null)
    {
        if ((connectionString ?? Environment.GetEnvironmentVariable(ConnectionStringVariable)) is { Length: > 0 } connection)
        {
            return new BlobContainerClient(connection, container, AzureBlobStore.ClientOptions());
        }

        if (AccountUrl() is { } accountUrl)
        {
            return new BlobServiceClient(new Uri(accountUrl), new DefaultAzureCredential(), AzureBlobStore.ClientOptions()).GetBlobContainerClient(container);
        }

        throw new StorageNotConfiguredException($"Azure storage needs {ConnectionStringVariable} (for example Azurite's) or {AccountUrlVariable} with an Azure identity (managed identity, az login).");
    }

    /// <summary>The same account's table service (study results): from the connection string, or the blob URL's account with ".table." for ".blob.".</summary>
    public static Azure.Data.Tables.TableServiceClient TableService()
    {
        if (Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } connection)
        {
            return new Azure.Data.Tables.TableServiceClient(connection);
        }

        if (AccountUrl() is { } accountUrl)
        {
            return new Azure.Data.Tables.TableServiceClient(new Uri(accountUrl.Replace(".blob.", ".table.", StringComparison.OrdinalIgnoreCase)), new DefaultAzureCredential());
        }

        throw new StorageNotConfiguredException($"Study results (Studies:Store=Table) need {ConnectionStringVariable} (for example Azurite's) or {AccountUrlVariable} with an Azure identity.");
    }

    /// <summary>The blob endpoint for identity-based access: the local tools' variable, else the one the deployment sets.</summary>
    private static string? AccountUrl() =>
        (Environment.GetEnvironmentVariable(AccountUrlVariable) ?? Environment.GetEnvironmentVariable(BlobServiceUriVariable)) is { Length: > 0 } url ? url : null;
}
