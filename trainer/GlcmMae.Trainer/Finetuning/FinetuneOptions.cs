using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Finetuning;

/// <summary>Settings of one fine-tuning run; defaults follow the method doc's fine-tuning recipe.</summary>
internal sealed record FinetuneOptions
{
    /// <summary>Labelled dataset: folder, CSV or az://container/prefix.</summary>
    public required string Data { get; init; }

    /// <summary>Run folder.</summary>
    public required string Output { get; init; }

    /// <summary>Pretraining checkpoint (or run folder) whose encoder starts the classifier; null with <see cref="InitFrom"/> or for scratch.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>PyTorch ViT/MAE state dict to start from.</summary>
    public string? InitFrom { get; init; }

    /// <summary>Preset for a classifier trained from scratch or from imported weights.</summary>
    public string Model { get; init; } = "tiny";

    /// <summary>Input side in pixels; null keeps the preset's (a run continued or started from a checkpoint keeps the checkpoint's).</summary>
    public int? ImageSize { get; init; }

    /// <summary>Patch side in pixels (tokens and GLCM patches); null keeps the preset's.</summary>
    public int? PatchSize { get; init; }

    public int Channels { get; init; } = 1;

    /// <summary>At which resolution scans decode, when the classifier does not start from a checkpoint (which fixes its preprocessing).</summary>
    public DecodeResolution DecodeResolution { get; init; }

    public FinetuneMode Mode { get; init; } = FinetuneMode.Full;

    public int Epochs { get; init; } = 100;

    public int Batch { get; init; } = 32;

    /// <summary>Base learning rate; the peak is base x batch / 256 (null: 1e-3 full, 0.1 linear probe).</summary>
    public double? BaseLearningRate { get; init; }

    public double? LearningRate { get; init; }

    public double MinLearningRate { get; init; } = 1e-6;

    public double WarmupEpochs { get; init; } = 5;

    public double WeightDecay { get; init; } = 0.05;

    /// <summary>Layer-wise learning-rate decay (1 = none).</summary>
    public double LayerDecay { get; init; } = 0.75;

    public double DropPath { get; init; } = 0.1;

    public double LabelSmoothing { get; init; } = 0.1;

    public double? ClipGradient { get; init; }

    public ClassifierAugmentationOptions Augmentation { get; init; } = new();

    public ClassBalancing Balancing { get; init; } = ClassBalancing.None;

    /// <summary>Fraction of the data (by group) for validation.</summary>
    public double ValidationFraction { get; init; } = 0.15;

    /// <summary>Fraction of the data (by group) for test when the manifest names no splits.</summary>
    public double TestFraction { get; init; } = 0.15;

    /// <summary>Use only this fraction of the training split (stratified; labelled-data-scarcity experiments).</summary>
    public double TrainFraction { get; init; } = 1;

    /// <summary>k-fold cross-validation when 2 or more.</summary>
    public int Folds { get; init; }

    public bool AllFrames { get; init; }

    public SampleGrouping Grouping { get; init; } = SampleGrouping.Study;

    /// <summary>Class whose binary figures (AUROC, sensitivity, specificity) the report leads with.</summary>
    public string? PositiveLabel { get; init; }

    public long Seed { get; init; }

    /// <summary>
    /// The stable split (<see cref="Data.KeyedSplit"/>): when set, each study's split follows a keyed hash of its grouping
    /// key and stays put as data grows (what scheduled retraining needs), with the split's own fractions instead of
    /// <see cref="ValidationFraction"/> and <see cref="TestFraction"/>; null keeps the seeded, stratified split.
    /// </summary>
    public Data.KeyedSplit? StableSplit { get; init; }

    public string Device { get; init; } = "auto";

    public int Workers { get; init; }

    public int BootstrapResamples { get; init; } = 1000;

    public bool Report { get; init; } = true;

    /// <summary>Draw the misclassified test scans into the report (off: the report carries figures only).</summary>
    public bool ReportImages { get; init; }

    /// <summary>The base learning rate in effect.</summary>
    public double EffectiveBaseLearningRate => BaseLearningRate ?? (Mode == FinetuneMode.LinearProbe ? 0.1 : 1e-3);
}
