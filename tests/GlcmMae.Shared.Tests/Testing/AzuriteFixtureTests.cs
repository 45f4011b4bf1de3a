using Azure.Storage.Blobs.Models;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Testing;

public sealed class AzuriteFixtureTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Blob_uploaded_to_azurite_reads_back_identically()
    {
        var container = azurite.CreateBlobServiceClient().GetBlobContainerClient("fixture-check");
        await container.CreateIfNotExistsAsync();
        var payload = BinaryData.FromBytes(Enumerable.Range(0, 4096).Select(i => (byte)(i * 31)).ToArray());

        await container.GetBlobClient("a/b.bin").UploadAsync(payload, overwrite: true);
        BlobDownloadResult downloaded = await container.GetBlobClient("a/b.bin").DownloadContentAsync();

        Assert.Equal(payload.ToArray(), downloaded.Content.ToArray());
    }

    [Fact]
    public async Task Queue_message_sent_to_azurite_is_received()
    {
        var queue = azurite.CreateQueueServiceClient().GetQueueClient("fixture-check");
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("hello");
        var received = await queue.ReceiveMessageAsync();

        Assert.Equal("hello", received.Value.MessageText);
    }
}
