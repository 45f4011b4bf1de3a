using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Storage;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Models;

public sealed class AzureModelRegistryTests(AzuriteFixture azurite) : ModelRegistryContract, IClassFixture<AzuriteFixture>
{
    protected override async Task<IBlobStore> CreateStoreAsync()
    {
        var store = new AzureBlobStore(new BlobContainerClient(azurite.ConnectionString, $"models-{Guid.NewGuid():N}", AzureBlobStore.ClientOptions()));
        await store.EnsureContainerAsync();
        return store;
    }

    [Fact]
    public async Task A_large_model_goes_up_in_blocks_and_comes_back_intact()
    {
        using var temp = new TempFolder();
        var store = (AzureBlobStore)await CreateStoreAsync();
        var registry = new ModelRegistry(store);
        var (manifest, onnx) = await FakeModelAsync(temp, "big", (2 * AzureBlobStore.BlockSize) + 12345);

        await registry.PublishAsync(manifest, onnx, null);

        var blocks = await store.Container.GetBlockBlobClient("demo/big/model.onnx").GetBlockListAsync();
        Assert.Equal(3, blocks.Value.CommittedBlocks.Count());
        Assert.Equal(await File.ReadAllBytesAsync(onnx), (await registry.LoadAsync("demo", "big")).Onnx);
    }

    [Fact]
    public async Task Transient_transport_failures_are_retried()
    {
        var options = AzureBlobStore.ClientOptions();
        var faults = new FailFirstAttempts(2);
        options.AddPolicy(faults, HttpPipelinePosition.PerRetry);
        var container = new BlobContainerClient(azurite.ConnectionString, $"retry-{Guid.NewGuid():N}", options);
        var store = new AzureBlobStore(container);

        await store.EnsureContainerAsync();
        using var content = new MemoryStream([1, 2, 3]);
        await store.WriteAsync("a/b.bin", content, BlobWriteCondition.CreateOnly);

        Assert.Equal([1, 2, 3], (await store.TryReadAsync("a/b.bin"))!.Data);
        Assert.Equal(2, faults.Injected);
    }

    /// <summary>Fails the first attempts of every request with a transport error, as a dropped connection would.</summary>
    private sealed class FailFirstAttempts(int failures) : HttpPipelinePolicy
    {
        public int Injected { get; private set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Inject();
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Inject();
            return ProcessNextAsync(message, pipeline);
        }

        private void Inject()
        {
            if (Injected < failures)
            {
                Injected++;
                throw new IOException("injected connection reset");
            }
        }
    }
}
