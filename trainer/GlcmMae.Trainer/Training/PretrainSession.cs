using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Losses;
using GlcmMae.Trainer.Models;
using TorchSharp;

namespace GlcmMae.Trainer.Training;

/// <summary>
/// Everything a pretraining run decided before its first step, from its options or from the checkpoint it continues:
/// the model, the preprocessing and data range, the data and its loader, and the hyper-parameters and schedule.
/// </summary>
internal sealed record PretrainSession
{
    /// <summary>The device the run trains on.</summary>
    public required torch.Device Device { get; init; }

    /// <summary>The OpenMP thread count the run started with, pinned onto every step.</summary>
    public required int Threads { get; init; }

    /// <summary>The run's own newest checkpoint it continues (model, optimizer and schedule), if any.</summary>
    public Checkpoint? Continued { get; init; }

    /// <summary>A checkpoint of an earlier stage whose weights it starts from (fresh optimizer and schedule), if any.</summary>
    public Checkpoint? StartWeights { get; init; }

    /// <summary>The model.</summary>
    public required MaeConfig Config { get; init; }

    /// <summary>The preprocessing.</summary>
    public required PreprocessingSpec Spec { get; init; }

    /// <summary>The loss terms and their weights.</summary>
    public required PretrainingLossOptions Loss { get; init; }

    /// <summary>The intensity range the GLCM's grey levels span (measured once per run, kept by continuations).</summary>
    public required DataRange Range { get; init; }

    /// <summary>The readable scans.</summary>
    public required IReadOnlyList<string> Readable { get; init; }

    /// <summary>Scans that could not be read, with why.</summary>
    public required IReadOnlyList<(string File, string Reason)> Skipped { get; init; }

    /// <summary>The batches of every epoch.</summary>
    public required PretrainDataLoader Loader { get; init; }

    /// <summary>The seed of every random draw.</summary>
    public required long Seed { get; init; }

    /// <summary>The batch size asked for.</summary>
    public required int Batch { get; init; }

    /// <summary>Micro-batches per optimizer step.</summary>
    public required int Accumulation { get; init; }

    /// <summary>Share of patches masked.</summary>
    public required double MaskRatio { get; init; }

    /// <summary>The GLCM soft-binning sharpness by epoch.</summary>
    public required SharpnessSchedule Sharpness { get; init; }

    /// <summary>The augmentation of the pretraining images.</summary>
    public required AugmentationMode Augmentation { get; init; }

    /// <summary>Optimizer steps per epoch.</summary>
    public required int StepsPerEpoch { get; init; }

    /// <summary>Epochs in the run.</summary>
    public required int Epochs { get; init; }

    /// <summary>The learning rate by step.</summary>
    public required LearningRateSchedule Schedule { get; init; }

    /// <summary>The checkpoint whose weights the model starts with, if any.</summary>
    public Checkpoint? Start => Continued ?? StartWeights;
}
