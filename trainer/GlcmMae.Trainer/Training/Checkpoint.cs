using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Training;

/// <summary>A checkpoint folder: <c>model.bin</c> (weights), <c>optimizer.bin</c> (AdamW moments), <c>state.json</c>.</summary>
/// <remarks>Written to a temporary folder and renamed into place, so a crash never leaves a half-written checkpoint that looks complete.</remarks>
internal sealed class Checkpoint
{
    /// <summary>Folder of a run's checkpoints.</summary>
    public const string FolderName = "checkpoints";

    /// <summary>Run position and configuration (a checkpoint is complete once this exists).</summary>
    internal const string StateFile = "state.json";

    /// <summary>The weights.</summary>
    internal const string ModelFile = "model.bin";

    private const string OptimizerFile = "optimizer.bin";

    internal static readonly JsonSerializerOptions JsonOptions = RunJson.Options;

    private Checkpoint(string path, CheckpointState state)
    {
        Path = path;
        State = state;
    }

    /// <summary>The checkpoint folder.</summary>
    public string Path { get; }

    /// <summary>Run position and configuration.</summary>
    public CheckpointState State { get; }

    /// <summary>True when the folder holds optimiser state (a full checkpoint).</summary>
    public bool HasOptimizer => File.Exists(System.IO.Path.Combine(Path, OptimizerFile));

    /// <summary>Writes a checkpoint for the completed epoch and prunes all but the newest <paramref name="keepLast"/>.</summary>
    public static Checkpoint Save(string runFolder, CheckpointState state, nn.Module model, OptimizerHelper optimizer, int keepLast)
    {
        var folder = System.IO.Path.Combine(runFolder, FolderName);
        Directory.CreateDirectory(folder);
        var name = string.Create(CultureInfo.InvariantCulture, $"epoch-{state.Epoch:D4}-step-{state.Step:D8}");
        var final = System.IO.Path.Combine(folder, name);
        var temporary = final + ".tmp";
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true);
        }

        Directory.CreateDirectory(temporary);
        model.save(System.IO.Path.Combine(temporary, ModelFile));
        optimizer.save_state_dict(System.IO.Path.Combine(temporary, OptimizerFile));
        File.WriteAllText(System.IO.Path.Combine(temporary, StateFile), JsonSerializer.Serialize(state, JsonOptions));
        if (Directory.Exists(final))
        {
            Directory.Delete(final, recursive: true);
        }

        Directory.Move(temporary, final);
        foreach (var old in List(runFolder).SkipLast(Math.Max(1, keepLast)))
        {
            Directory.Delete(old.Path, recursive: true);
        }

        return new Checkpoint(final, state);
    }

    /// <summary>Reads a checkpoint folder (or a run folder, taking its latest checkpoint).</summary>
    public static Checkpoint Open(string path)
    {
        if (!File.Exists(System.IO.Path.Combine(path, StateFile)) && Latest(path) is { } latest)
        {
            return latest;
        }

        var stateFile = System.IO.Path.Combine(path, StateFile);
        if (!File.Exists(stateFile))
        {
            throw new TrainingException("CheckpointNotFound", $"'{path}' is neither a checkpoint folder (with {StateFile}) nor a run folder with checkpoints.");
        }

        var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(stateFile), JsonOptions)
            ?? throw new TrainingException("CheckpointCorrupt", $"{stateFile} is empty.");
        if (state.Version != CheckpointState.CurrentVersion)
        {
            throw new TrainingException("CheckpointVersion", $"{stateFile} has format version {state.Version}; this glcmmae reads version {CheckpointState.CurrentVersion}.");
        }

        return new Checkpoint(path, state);
    }

    /// <summary>Complete checkpoints of a run folder, oldest first.</summary>
    public static IReadOnlyList<Checkpoint> List(string runFolder)
    {
        var folder = System.IO.Path.Combine(runFolder, FolderName);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.EnumerateDirectories(folder, "epoch-*")
            .Where(d => !d.EndsWith(".tmp", StringComparison.Ordinal) && File.Exists(System.IO.Path.Combine(d, StateFile)))
            .Order(StringComparer.Ordinal)
            .Select(Open)
            .ToArray();
    }

    /// <summary>The newest complete checkpoint of a run folder, if any.</summary>
    public static Checkpoint? Latest(string runFolder) => List(runFolder).LastOrDefault();

    /// <summary>Loads the weights into an existing model of the same shape.</summary>
    public void LoadWeights(nn.Module model) => model.load(System.IO.Path.Combine(Path, ModelFile));

    /// <summary>Restores AdamW moments and step counts.</summary>
    public void LoadOptimizer(OptimizerHelper optimizer) => optimizer.load_state_dict(System.IO.Path.Combine(Path, OptimizerFile));
}
