using Azure.Core;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using GlcmMae.Shared.Hosting;
using GlcmMae.Shared.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GlcmMae.Shared.Tests.Storage;

public sealed class AzureConnectionsTests
{
    private const string Azurite = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void A_connection_string_gives_every_storage_client_on_its_endpoints()
    {
        var connections = AzureConnections.From(Settings(("Storage:ConnectionString", Azurite)));

        Assert.True(connections.HasStorage);
        Assert.False(connections.HasServiceBus);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1/scans"), connections.Container("scans").Uri);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connections.TableService().Uri);
    }

    [Fact]
    public void Identity_based_endpoints_come_from_the_blob_endpoint_unless_given()
    {
        var blobOnly = AzureConnections.From(Settings(("Storage:BlobServiceUri", "https://glcm.blob.core.windows.net/")));
        var both = AzureConnections.From(Settings(("Storage:BlobServiceUri", "https://glcm.blob.core.windows.net/"), ("Storage:TableServiceUri", "https://other.table.core.windows.net/")));

        Assert.Equal(new Uri("https://glcm.blob.core.windows.net/models"), blobOnly.Container("models").Uri);
        Assert.Equal("glcm.table.core.windows.net", new Uri(blobOnly.TableService().Uri.AbsoluteUri).Host);
        Assert.Equal("glcm.queue.core.windows.net", blobOnly.SiblingEndpoint("queue")!.Host);
        Assert.Equal("other.table.core.windows.net", both.TableService().Uri.Host);
    }

    [Fact]
    public void A_namespace_gives_a_service_bus_client_for_that_namespace()
    {
        var connections = AzureConnections.From(Settings(("ServiceBus:FullyQualifiedNamespace", "glcm.servicebus.windows.net")), new FixedCredential());

        Assert.True(connections.HasServiceBus);
        Assert.Equal("glcm.servicebus.windows.net", connections.ServiceBus().FullyQualifiedNamespace);
    }

    [Fact]
    public void Missing_or_malformed_settings_are_refused_naming_the_setting_to_give()
    {
        var none = AzureConnections.From(Settings());

        Assert.Contains("Storage:ConnectionString", Assert.Throws<StorageNotConfiguredException>(() => none.BlobService()).Message, StringComparison.Ordinal);
        Assert.Contains("Storage:BlobServiceUri", Assert.Throws<StorageNotConfiguredException>(() => none.TableService()).Message, StringComparison.Ordinal);
        Assert.Contains("ServiceBus:FullyQualifiedNamespace", Assert.Throws<StorageNotConfiguredException>(() => none.ServiceBus()).Message, StringComparison.Ordinal);
        Assert.Contains("Storage:BlobServiceUri", Assert.Throws<StorageNotConfiguredException>(() => AzureConnections.From(Settings(("Storage:BlobServiceUri", "glcm.blob")))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hosts_register_only_the_clients_whose_service_is_configured()
    {
        using var storageOnly = new ServiceCollection().AddGlcmAzureClients(Settings(("Storage:ConnectionString", Azurite))).BuildServiceProvider();
        using var nothing = new ServiceCollection().AddGlcmAzureClients(Settings()).BuildServiceProvider();

        Assert.NotNull(storageOnly.GetService<BlobServiceClient>());
        Assert.NotNull(storageOnly.GetService<TableServiceClient>());
        Assert.Null(storageOnly.GetService<ServiceBusClient>());
        Assert.Null(nothing.GetService<BlobServiceClient>());
        Assert.NotNull(nothing.GetService<AzureConnections>());
    }

    private sealed class FixedCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new("token", DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}
