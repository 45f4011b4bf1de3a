using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Losses;

namespace GlcmMae.Trainer.Training;

/// <summary>Everything a pretraining run is configured with (stored in every checkpoint).</summary>
internal sealed record PretrainOptions
{
    /// <summary>Dataset folder, CSV manifest, or a blob container/prefix.</summary>
    public required string Data { get; init; }

    /// <summary>Run folder: checkpoints, metrics.jsonl, plots.</summary>
    public required string Output { get; init; }

    /// <summary>Model preset name.</summary>
    public string Model { get; init; } = "tiny";

    /// <summary>Input side in pixels; null keeps the preset's (a run continued or started from a checkpoint keeps the checkpoint's).</summary>
    public int? ImageSize { get; init; }

    /// <summary>Patch side in pixels (tokens and GLCM patches); null keeps the preset's.</summary>
    public int? PatchSize { get; init; }

    /// <summary>Input channels (1 or 3).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>At which resolution scans decode (a fresh run's preprocessing; a resumed one keeps its own).</summary>
    public DecodeResolution DecodeResolution { get; init; }

    /// <summary>Which loss the stage trains with.</summary>
    public PretrainStage Stage { get; init; } = PretrainStage.Mse;

    /// <summary>Epochs of this run.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Images per optimiser micro-batch.</summary>
    public int Batch { get; init; } = 32;

    /// <summary>Micro-batches per optimiser step (effective batch = Batch x Accumulation).</summary>
    public int Accumulation { get; init; } = 1;

    /// <summary>MAE's base learning rate; the peak is base x effective batch / 256 unless <see cref="LearningRate"/> is set.</summary>
    public double BaseLearningRate { get; init; } = 1.5e-4;

    /// <summary>Absolute peak learning rate, overriding the scaled base rate.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Learning rate at the end of the cosine.</summary>
    public double MinLearningRate { get; init; }

    /// <summary>Epochs of linear warmup.</summary>
    public double WarmupEpochs { get; init; } = 1;

    /// <summary>AdamW weight decay on weight matrices.</summary>
    public double WeightDecay { get; init; } = 0.05;

    /// <summary>Clip the global gradient norm to this value (off when null).</summary>
    public double? ClipGradient { get; init; }

    /// <summary>Fraction of patches masked.</summary>
    public double MaskRatio { get; init; } = 0.75;

    /// <summary>Loss weights and GLCM settings; by default from <see cref="Stage"/>.</summary>
    public PretrainingLossOptions? Loss { get; init; }

    /// <summary>GLCM kernel sharpness per epoch (constant or curriculum).</summary>
    public SharpnessSchedule Sharpness { get; init; } = new(30, 30);

    /// <summary>Run seed; equal seeds and data give equal runs on the same device and thread count.</summary>
    public long Seed { get; init; }

    /// <summary>
    /// The stable split fine-tuning will use (<see cref="Data.KeyedSplit"/>): when set, pretraining sees its training
    /// split's studies only, so no validation or test study is reconstructed before it is evaluated on; null pretrains
    /// on every scan.
    /// </summary>
    public Data.KeyedSplit? HeldOut { get; init; }

    /// <summary>Checkpoint to start from: a stage-1 run for stage 2 (weights only), or any checkpoint to continue.</summary>
    public string? Resume { get; init; }

    /// <summary>PyTorch MAE/ViT weights (.pth) to initialise the encoder (and decoder) from.</summary>
    public string? InitFrom { get; init; }

    /// <summary>Device name: auto, cpu, cuda, cuda:N.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Run the transformer's Linear layers in bfloat16 (mixed precision; weights and losses stay float32).</summary>
    public bool Bf16 { get; init; }

    /// <summary>Checkpoints kept in the run folder (older ones are deleted).</summary>
    public int KeepLast { get; init; } = 3;

    /// <summary>Background decoding threads (0 = half the cores).</summary>
    public int Workers { get; init; }

    /// <summary>Train-time augmentation, separate from the preprocessing spec.</summary>
    public AugmentationMode Augmentation { get; init; } = AugmentationMode.None;

    /// <summary>Optimiser steps between progress lines on a non-interactive console.</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>Write loss curves and a reconstruction grid at the end.</summary>
    public bool Plots { get; init; } = true;

    /// <summary>Stop after this many optimiser steps in total (tests and smoke runs); null runs every epoch.</summary>
    public long? MaxSteps { get; init; }

    /// <summary>The loss this run trains with.</summary>
    public PretrainingLossOptions EffectiveLoss => Loss ?? Stage.DefaultLoss();
}
