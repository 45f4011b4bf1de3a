using System.Text.Json;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Finetuning;

/// <summary>A saved classifier: <c>model.bin</c> plus <c>classifier.json</c>, written to a temporary folder and renamed into place.</summary>
internal sealed class ClassifierCheckpoint
{
    /// <summary>Folder of the selected model inside a fine-tuning run.</summary>
    public const string FolderName = "model";

    private const string StateFile = "classifier.json";
    private const string ModelFile = "model.bin";

    private ClassifierCheckpoint(string path, ClassifierState state)
    {
        Path = path;
        State = state;
    }

    /// <summary>The checkpoint folder.</summary>
    public string Path { get; }

    public ClassifierState State { get; }

    /// <summary>The preprocessing the classifier expects.</summary>
    public PreprocessingSpec Spec => PreprocessingSpec.FromJson(State.PreprocessingSpec);

    /// <summary>Saves (replacing) the classifier in <paramref name="folder"/>.</summary>
    public static ClassifierCheckpoint Save(string folder, ClassifierState state, VitClassifier model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var temporary = folder.TrimEnd('/', '\\') + ".tmp";
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true);
        }

        Directory.CreateDirectory(temporary);
        model.save(System.IO.Path.Combine(temporary, ModelFile));
        File.WriteAllText(System.IO.Path.Combine(temporary, StateFile), JsonSerializer.Serialize(state, Checkpoint.JsonOptions));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.Move(temporary, folder);
        return new ClassifierCheckpoint(folder, state);
    }

    /// <summary>Opens a classifier folder, or the selected model of a fine-tuning run folder.</summary>
    public static ClassifierCheckpoint Open(string path)
    {
        var folder = File.Exists(System.IO.Path.Combine(path, StateFile)) ? path : System.IO.Path.Combine(path, FolderName);
        var stateFile = System.IO.Path.Combine(folder, StateFile);
        if (!File.Exists(stateFile))
        {
            throw new TrainingException("ClassifierNotFound", $"'{path}' is neither a classifier folder (with {StateFile}) nor a fine-tuning run folder; run glcmmae finetune first.");
        }

        var state = JsonSerializer.Deserialize<ClassifierState>(File.ReadAllText(stateFile), Checkpoint.JsonOptions)
            ?? throw new TrainingException("ClassifierCorrupt", $"{stateFile} is empty.");
        if (state.Version != ClassifierState.CurrentVersion)
        {
            throw new TrainingException("ClassifierVersion", $"{stateFile} has format version {state.Version}; this glcmmae reads version {ClassifierState.CurrentVersion}.");
        }

        return new ClassifierCheckpoint(folder, state);
    }

    /// <summary>Builds the classifier and loads its weights (in evaluation mode, on the CPU).</summary>
    public VitClassifier Load()
    {
        var model = new VitClassifier(State.Model, State.Labels.Count, dropPath: 0);
        model.load(System.IO.Path.Combine(Path, ModelFile));
        model.eval();
        return model;
    }
}
