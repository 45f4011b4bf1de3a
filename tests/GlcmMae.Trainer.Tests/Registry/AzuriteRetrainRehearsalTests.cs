using GlcmMae.Shared.Models;
using GlcmMae.Shared.Storage;
using GlcmMae.Testing;

namespace GlcmMae.Trainer.Tests.Registry;

/// <summary>
/// The retraining rehearsal against Azurite, as the trainer job runs it: training data in the <c>training</c> container,
/// models in <c>models</c>, and the run's checkpoints copied to <c>runs</c>, so the killed run continues on a wiped disk.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class AzuriteRetrainRehearsalTests : RetrainRehearsal, IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;
    private readonly string _prefix = "rehearsal-" + Guid.NewGuid().ToString("N")[..8];

    public AzuriteRetrainRehearsalTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        Environment.SetEnvironmentVariable("GLCMMAE_Storage__ConnectionString", azurite.ConnectionString);
    }

    protected override string Store => "azure";

    public override void Dispose()
    {
        Environment.SetEnvironmentVariable("GLCMMAE_Storage__ConnectionString", null);
        base.Dispose();
    }

    protected override async Task<ModelRegistry> RegistryAsync()
    {
        var models = new AzureBlobStore(_azurite.CreateBlobServiceClient().GetBlobContainerClient("models"));
        await models.EnsureContainerAsync();
        return new ModelRegistry(models);
    }

    protected override async Task<string> DataAsync(string folder, string version)
    {
        var training = _azurite.CreateBlobServiceClient().GetBlobContainerClient("training");
        await training.CreateIfNotExistsAsync();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            await training.GetBlobClient($"{_prefix}/{version}/{Path.GetRelativePath(folder, file).Replace('\\', '/')}").UploadAsync(file, overwrite: true);
        }

        return $"az://training/{_prefix}/{version}";
    }

    protected override async Task<bool> RunCopyHasCheckpointAsync(string run)
    {
        var runs = _azurite.CreateBlobServiceClient().GetBlobContainerClient("runs");
        if (!await runs.ExistsAsync())
        {
            return false;
        }

        await foreach (var blob in runs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"rehearsal/{run}/pretrain-mse/checkpoints/", CancellationToken.None))
        {
            if (blob.Name.EndsWith("/state.json", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
