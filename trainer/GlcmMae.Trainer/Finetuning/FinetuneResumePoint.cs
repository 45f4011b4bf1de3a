using System.Text.Json;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Training;
using TorchSharp.Modules;

namespace GlcmMae.Trainer.Finetuning;

/// <summary>
/// What a fine-tuning run needs to continue after its process is lost: the weights and optimizer state after the last
/// completed epoch, the step count and the best validation figures so far, in <c>resume/</c> of the run folder. It is
/// written after every epoch (to a temporary folder, <c>resume.json</c> last, then renamed) and deleted when the run
/// completes. A point is only taken up by a run with the same identity (training data, seed, epochs, batch, mode).
/// </summary>
internal sealed record FinetuneResumePoint(string Identity, int Epoch, long Step, double BestBalancedAccuracy, double BestLoss, int BestEpoch)
{
    /// <summary>Folder inside the run folder.</summary>
    public const string FolderName = "resume";

    private const string StateFile = "resume.json";
    private const string ModelFile = "model.bin";
    private const string OptimizerFile = "optimizer.bin";

    /// <summary>Replaces the run's resume point with this one.</summary>
    public void Save(string runFolder, VitClassifier model, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        var folder = Path.Combine(runFolder, FolderName);
        var temporary = folder + ".tmp";
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true);
        }

        Directory.CreateDirectory(temporary);
        model.save(Path.Combine(temporary, ModelFile));
        optimizer.save_state_dict(Path.Combine(temporary, OptimizerFile));
        File.WriteAllText(Path.Combine(temporary, StateFile), JsonSerializer.Serialize(this, Checkpoint.JsonOptions));
        Delete(runFolder);
        Directory.Move(temporary, folder);
    }

    /// <summary>Loads the run's resume point into <paramref name="model"/> and <paramref name="optimizer"/> when it has one of this identity; null otherwise.</summary>
    public static FinetuneResumePoint? TryLoad(string runFolder, string identity, VitClassifier model, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        var folder = Path.Combine(runFolder, FolderName);
        var stateFile = Path.Combine(folder, StateFile);
        if (!File.Exists(stateFile))
        {
            return null;
        }

        var point = JsonSerializer.Deserialize<FinetuneResumePoint>(File.ReadAllText(stateFile), Checkpoint.JsonOptions);
        if (point is null || point.Identity != identity)
        {
            return null;
        }

        model.load(Path.Combine(folder, ModelFile));
        optimizer.load_state_dict(Path.Combine(folder, OptimizerFile));
        return point;
    }

    /// <summary>Removes the run's resume point (the run completed, or is being replaced).</summary>
    public static void Delete(string runFolder)
    {
        var folder = Path.Combine(runFolder, FolderName);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
