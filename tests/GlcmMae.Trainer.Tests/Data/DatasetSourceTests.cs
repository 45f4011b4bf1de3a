using GlcmMae.Shared.Storage;
using GlcmMae.Testing;
using GlcmMae.Trainer.Data;

namespace GlcmMae.Trainer.Tests.Data;

public sealed class DatasetSourceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Blob_prefix_is_downloaded_into_a_cache_keeping_class_folders_and_skipping_unchanged_blobs()
    {
        using var temp = new TempFolder();
        var container = azurite.CreateBlobServiceClient().GetBlobContainerClient("datasets");
        await container.CreateIfNotExistsAsync();
        await container.UploadBlobAsync("gb/train/benign/a.png", BinaryData.FromBytes([1, 2, 3]));
        await container.UploadBlobAsync("gb/train/malignant/b.png", BinaryData.FromBytes([4, 5]));
        await container.UploadBlobAsync("gb/other/c.png", BinaryData.FromBytes([6]));

        var folder = await DatasetSource.ResolveAsync("az://datasets/gb/train", temp.Path, new AzureConnections(azurite.ConnectionString), CancellationToken.None);

        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(folder, "benign", "a.png")));
        Assert.True(File.Exists(Path.Combine(folder, "malignant", "b.png")));
        Assert.False(File.Exists(Path.Combine(folder, "c.png")));
        var manifest = DatasetManifest.Load(folder);
        Assert.Equal(["benign", "malignant"], manifest.Labels);

        File.WriteAllBytes(Path.Combine(folder, "benign", "a.png"), [9]);
        await DatasetSource.ResolveAsync("az://datasets/gb/train", temp.Path, new AzureConnections(azurite.ConnectionString), CancellationToken.None);
        Assert.Equal([9], await File.ReadAllBytesAsync(Path.Combine(folder, "benign", "a.png")));
    }

    [Fact]
    public async Task Empty_prefix_is_an_error_that_says_where_it_looked()
    {
        using var temp = new TempFolder();
        await azurite.CreateBlobServiceClient().GetBlobContainerClient("empty").CreateIfNotExistsAsync();

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetSource.ResolveAsync("az://empty/none", temp.Path, new AzureConnections(azurite.ConnectionString), CancellationToken.None));

        Assert.Contains("az://empty/none", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_paths_pass_through() =>
        Assert.Equal("/some/folder", await DatasetSource.ResolveAsync("/some/folder", null, null, CancellationToken.None));
}
