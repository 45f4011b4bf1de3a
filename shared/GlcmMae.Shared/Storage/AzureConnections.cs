using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace GlcmMae.Shared.Storage;

/// <summary>
/// Where the storage account and the Service Bus namespace are and how to reach them: the <c>Storage</c> and
/// <c>ServiceBus</c> settings every host reads (app settings in Azure, <c>glcmmae.json</c> or <c>GLCMMAE_</c>
/// variables on a workstation). The one place Azure clients are built.
/// </summary>
/// <remarks>
/// The rule: a connection string wins (Azurite, the Service Bus emulator, account keys); otherwise the endpoint is
/// used with <see cref="DefaultAzureCredential"/>, which in Azure takes the managed identity that
/// <c>AZURE_CLIENT_ID</c> names (https://learn.microsoft.com/dotnet/api/azure.identity.defaultazurecredential).
/// </remarks>
public sealed class AzureConnections
{
    private readonly Lazy<TokenCredential> _credential;

    /// <summary>Connections as given; the credential is created when an identity-based client is first built.</summary>
    public AzureConnections(
        string? storageConnectionString = null,
        Uri? blobServiceUri = null,
        Uri? tableServiceUri = null,
        string? serviceBusConnectionString = null,
        string? serviceBusNamespace = null,
        TokenCredential? credential = null)
    {
        StorageConnectionString = NullIfEmpty(storageConnectionString);
        BlobServiceUri = blobServiceUri;
        TableServiceUri = tableServiceUri;
        ServiceBusConnectionString = NullIfEmpty(serviceBusConnectionString);
        ServiceBusNamespace = NullIfEmpty(serviceBusNamespace);
        _credential = new Lazy<TokenCredential>(() => credential ?? new DefaultAzureCredential());
    }

    /// <summary><c>Storage:ConnectionString</c>: blob, queue and table clients from one connection string.</summary>
    public string? StorageConnectionString { get; }

    /// <summary><c>Storage:BlobServiceUri</c>: the blob endpoint, used with the identity.</summary>
    public Uri? BlobServiceUri { get; }

    /// <summary><c>Storage:TableServiceUri</c>: the table endpoint; unset, the blob endpoint's account with <c>.table.</c> for <c>.blob.</c>.</summary>
    public Uri? TableServiceUri { get; }

    /// <summary><c>ServiceBus:ConnectionString</c>: the emulator's, or a namespace's with keys.</summary>
    public string? ServiceBusConnectionString { get; }

    /// <summary><c>ServiceBus:FullyQualifiedNamespace</c>: the namespace host name, used with the identity.</summary>
    public string? ServiceBusNamespace { get; }

    /// <summary>True when a storage account is configured.</summary>
    public bool HasStorage => StorageConnectionString is not null || BlobServiceUri is not null;

    /// <summary>True when a Service Bus namespace is configured.</summary>
    public bool HasServiceBus => ServiceBusConnectionString is not null || ServiceBusNamespace is not null;

    /// <summary>The credential identity-based clients use.</summary>
    public TokenCredential Credential => _credential.Value;

    /// <summary>Reads the <c>Storage</c> and <c>ServiceBus</c> sections; <paramref name="credential"/> null: <see cref="DefaultAzureCredential"/>.</summary>
    /// <exception cref="StorageNotConfiguredException">An endpoint setting is not an absolute URI.</exception>
    public static AzureConnections From(IConfiguration configuration, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new AzureConnections(
            configuration["Storage:ConnectionString"],
            Endpoint(configuration, "Storage:BlobServiceUri"),
            Endpoint(configuration, "Storage:TableServiceUri"),
            configuration["ServiceBus:ConnectionString"],
            configuration["ServiceBus:FullyQualifiedNamespace"],
            credential);
    }

    /// <summary>These connections with a storage connection string in place of any storage setting (a local Azurite).</summary>
    public AzureConnections WithStorage(string connectionString) =>
        new(connectionString, null, null, ServiceBusConnectionString, ServiceBusNamespace, _credential.IsValueCreated ? _credential.Value : null);

    /// <summary>The blob service, with exponential retries on transient failures.</summary>
    /// <exception cref="StorageNotConfiguredException">No storage account is configured.</exception>
    public BlobServiceClient BlobService() =>
        StorageConnectionString is { } connection ? new BlobServiceClient(connection, AzureBlobStore.ClientOptions())
        : BlobServiceUri is { } uri ? new BlobServiceClient(uri, Credential, AzureBlobStore.ClientOptions())
        : throw new StorageNotConfiguredException(StorageMissing);

    /// <summary>A client for one container of the blob service.</summary>
    public BlobContainerClient Container(string name) => BlobService().GetBlobContainerClient(name);

    /// <summary>The table service of the same account (study results).</summary>
    /// <exception cref="StorageNotConfiguredException">No storage account is configured.</exception>
    public TableServiceClient TableService()
    {
        var options = new TableClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 5;
        return StorageConnectionString is { } connection ? new TableServiceClient(connection, options)
            : (TableServiceUri ?? SiblingEndpoint("table")) is { } uri ? new TableServiceClient(uri, Credential, options)
            : throw new StorageNotConfiguredException(StorageMissing);
    }

    /// <summary>The endpoint of another service of the blob endpoint's account (<c>queue</c>, <c>table</c>); null without one.</summary>
    public Uri? SiblingEndpoint(string service) =>
        BlobServiceUri is { } blob ? new Uri(blob.AbsoluteUri.Replace(".blob.", $".{service}.", StringComparison.OrdinalIgnoreCase)) : null;

    /// <summary>A Service Bus client, with exponential retries.</summary>
    /// <exception cref="StorageNotConfiguredException">No namespace is configured.</exception>
    public ServiceBusClient ServiceBus()
    {
        var options = new ServiceBusClientOptions { RetryOptions = { Mode = ServiceBusRetryMode.Exponential, MaxRetries = 5 } };
        return ServiceBusConnectionString is { } connection ? new ServiceBusClient(connection, options)
            : ServiceBusNamespace is { } host ? new ServiceBusClient(host, Credential, options)
            : throw new StorageNotConfiguredException(ServiceBusMissing);
    }

    /// <summary>What to set when no storage account is configured.</summary>
    public const string StorageMissing =
        "No storage account is configured: set Storage:ConnectionString (GLCMMAE_Storage__ConnectionString; Azurite's for local runs) or Storage:BlobServiceUri with an Azure identity (managed identity, az login).";

    /// <summary>What to set when no Service Bus namespace is configured.</summary>
    public const string ServiceBusMissing =
        "No Service Bus namespace is configured: set ServiceBus:ConnectionString (GLCMMAE_ServiceBus__ConnectionString; the emulator's for local runs) or ServiceBus:FullyQualifiedNamespace with an Azure identity.";

    private static Uri? Endpoint(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } text
            ? Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new StorageNotConfiguredException($"{key} '{text}' is not an absolute URI (https://<account>.blob.core.windows.net/).")
            : null;

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
