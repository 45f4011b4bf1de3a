using GlcmMae.Shared.Storage;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Models;

public sealed class LocalModelRegistryTests : ModelRegistryContract, IDisposable
{
    private readonly TempFolder _root = new();

    public void Dispose() => _root.Dispose();

    protected override Task<IBlobStore> CreateStoreAsync() =>
        Task.FromResult<IBlobStore>(new LocalFolderBlobStore(Path.Combine(_root.Path, Guid.NewGuid().ToString("N"))));

    [Fact]
    public async Task Paths_cannot_leave_the_store()
    {
        var store = new LocalFolderBlobStore(_root.Path);
        using var content = new MemoryStream([1]);
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync("../outside", content, BlobWriteCondition.None));
    }
}
