using GlcmMae.Trainer.Losses;
using GlcmMae.Trainer.Models;

namespace GlcmMae.Trainer.Training;

/// <summary>The non-tensor part of a checkpoint: where the run is and everything needed to continue it identically.</summary>
/// <remarks>
/// There are no RNG states to store: every random choice (data order, masks, drop path, augmentation) is derived from
/// the run seed and the epoch/step counters, so position plus seed reproduce them.
/// </remarks>
internal sealed record CheckpointState
{
    /// <summary>Checkpoint format version.</summary>
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; init; }

    /// <summary>Optimiser steps completed.</summary>
    public long Step { get; init; }

    /// <summary>Epochs the run was planned for.</summary>
    public int Epochs { get; init; }

    public PretrainStage Stage { get; init; }

    public required MaeConfig Model { get; init; }

    public required PretrainingLossOptions Loss { get; init; }

    /// <summary>Intensity range measured once over the training set.</summary>
    public DataRange DataRange { get; init; }

    /// <summary>The preprocessing spec (canonical JSON) images were made with.</summary>
    public required string PreprocessingSpec { get; init; }

    public long Seed { get; init; }

    public int Batch { get; init; }

    public int Accumulation { get; init; }

    public double MaskRatio { get; init; }

    public required LearningRateSchedule Schedule { get; init; }

    public required string Sharpness { get; init; }

    public AugmentationMode Augmentation { get; init; }

    public DateTimeOffset Created { get; init; }
}
