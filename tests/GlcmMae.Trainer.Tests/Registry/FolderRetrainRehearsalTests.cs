using GlcmMae.Shared.Models;
using GlcmMae.Shared.Storage;

namespace GlcmMae.Trainer.Tests.Registry;

/// <summary>The retraining rehearsal with the folder store, as users without Azure run it.</summary>
[Collection(TorchCollection.Name)]
public sealed class FolderRetrainRehearsalTests : RetrainRehearsal
{
    protected override string Store => "local";

    protected override Task<ModelRegistry> RegistryAsync() => Task.FromResult(new ModelRegistry(new LocalFolderBlobStore(Path.Combine(Root, "models"))));

    protected override Task<string> DataAsync(string folder, string version) => Task.FromResult(folder);

    protected override Task<bool> RunCopyHasCheckpointAsync(string run)
    {
        var checkpoints = Path.Combine(Root, "runs", "rehearsal", run, "pretrain-mse", "checkpoints");
        return Task.FromResult(Directory.Exists(checkpoints) && Directory.EnumerateFiles(checkpoints, "state.json", SearchOption.AllDirectories).Any());
    }
}
