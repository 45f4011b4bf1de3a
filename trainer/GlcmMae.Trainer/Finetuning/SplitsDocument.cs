using System.Text.Json;
using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Finetuning;

/// <summary><c>splits.json</c>: the dataset root and the images (dataset-relative, <c>#frame</c> for frames) of each split.</summary>
internal sealed record SplitsDocument(string Root, IReadOnlyList<string> Labels, IReadOnlyList<string> Train, IReadOnlyList<string> Validation, IReadOnlyList<string> Test)
{
    /// <summary>File name in a fine-tuning run folder.</summary>
    public const string FileName = "splits.json";

    /// <summary>Reads a run folder's splits, or null when the run has none.</summary>
    public static async Task<SplitsDocument?> ReadAsync(string runFolder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        return JsonSerializer.Deserialize<SplitsDocument>(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), Checkpoint.JsonOptions)
            ?? throw new TrainingException("SplitsCorrupt", $"{path} is empty.");
    }
}
