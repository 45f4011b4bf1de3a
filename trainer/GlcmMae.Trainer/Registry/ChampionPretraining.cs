using GlcmMae.Shared.Models;
using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Registry;

/// <summary>
/// The pretraining checkpoint a retrained version came from, stored beside it (<c>pretraining/model.bin</c> and
/// <c>state.json</c>, weights without optimizer state), so that the next scheduled retrain can start GLCM pretraining
/// from the serving model's encoder instead of from scratch (<c>retrain --from-champion</c>).
/// </summary>
internal static class ChampionPretraining
{
    /// <summary>Folder of the checkpoint inside a registry version.</summary>
    public const string Folder = "pretraining";

    /// <summary>The files of a checkpoint folder to publish, by their path inside the version.</summary>
    public static IReadOnlyDictionary<string, string> Attachments(string checkpointFolder) => new Dictionary<string, string>
    {
        [$"{Folder}/{Checkpoint.ModelFile}"] = Path.Combine(checkpointFolder, Checkpoint.ModelFile),
        [$"{Folder}/{Checkpoint.StateFile}"] = Path.Combine(checkpointFolder, Checkpoint.StateFile),
    };

    /// <summary>Downloads the serving version's pretraining checkpoint into <paramref name="into"/>; null when nothing serves or the serving version has none.</summary>
    public static async Task<(string Folder, string Version)?> FetchAsync(ModelRegistry registry, string name, string into, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (await registry.GetCurrentAsync(name, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return null;
        }

        Directory.CreateDirectory(into);
        // The state goes last: a checkpoint folder counts once its state file exists.
        foreach (var file in new[] { Checkpoint.ModelFile, Checkpoint.StateFile })
        {
            if (!await registry.DownloadAttachmentAsync(name, current.Current.Version, $"{Folder}/{file}", Path.Combine(into, file), cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        return (into, current.Current.Version);
    }
}
