using GlcmMae.Trainer.Losses;
using GlcmMae.Trainer.Synthesis;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>Settings of <c>glcmmae bench ssl</c>: one budget for every arm, repeated over seeds.</summary>
internal sealed record SslBenchmarkOptions
{
    public required string Output { get; init; }

    public int Seeds { get; init; } = 3;

    /// <summary>The user's labelled dataset (folder, CSV or az://container/prefix); null generates <see cref="Family"/>.</summary>
    public string? Data { get; init; }

    /// <summary>The synthetic family generated when there is no <see cref="Data"/>.</summary>
    public SynthFamily Family { get; init; } = SynthFamily.Ultrasound;

    /// <summary>Test images per seed whose reconstructions are measured for texture fidelity.</summary>
    public int FidelityImages { get; init; } = 64;

    /// <summary>Bootstrap resamples of the paired comparisons between arms.</summary>
    public int PairedResamples { get; init; } = 2000;

    /// <summary>Synthetic images per class (pretraining pool plus test).</summary>
    public int PerClass { get; init; } = 200;

    public int ImageSize { get; init; } = 72;

    /// <summary>Fraction held out as the test set (never pretrained on).</summary>
    public double TestFraction { get; init; } = 0.25;

    /// <summary>Fractions of the pretraining pool that are labelled (train + validation of fine-tuning), each run with the same pretrained encoders.</summary>
    public IReadOnlyList<double> LabelledFractions { get; init; } = [0.2];

    public string Model { get; init; } = "tiny";

    /// <summary>Model input side overriding the preset's; null keeps it (<see cref="ImageSize"/> is the synthetic images' side).</summary>
    public int? ModelImageSize { get; init; }

    /// <summary>Patch side overriding the preset's; null keeps it.</summary>
    public int? ModelPatchSize { get; init; }

    /// <summary>Epochs of stage 1 (MSE); GLCM arms continue with <see cref="GlcmEpochs"/>, the MAE arm runs both as MSE.</summary>
    public int MseEpochs { get; init; } = 15;

    public int GlcmEpochs { get; init; } = 15;

    /// <summary>The GLCM settings of the stage-2 arms (bins, normalisation, region); the method's by default.</summary>
    public GlcmLossOptions Glcm { get; init; } = new();

    /// <summary>The GLCM-MAE arm's stage-2 weights (GLCM, SSIM, MSE); the method's 1 / 1 / 0.1 by default.</summary>
    public PretrainingLossOptions StageTwoLoss { get; init; } = PretrainingLossOptions.Method;

    public int PretrainBatch { get; init; } = 32;

    public double PretrainLearningRate { get; init; } = 1.5e-3;

    public int FinetuneEpochs { get; init; } = 60;

    public int ProbeEpochs { get; init; } = 60;

    public int FinetuneBatch { get; init; } = 8;

    public double FinetuneLearningRate { get; init; } = 5e-4;

    public double ProbeLearningRate { get; init; } = 1e-2;

    /// <summary>Crops keep at least half the area: smaller crops zoom the speckle and change the very texture the classes differ in.</summary>
    public double MinCropScale { get; init; } = 0.5;

    /// <summary>
    /// Fine-tune and probe without augmentation. Crops rescale and RandAugment blurs and sharpens, which changes the
    /// correlation length that tells the texture family's classes apart, so that family is always run without it.
    /// </summary>
    public bool NoAugmentation { get; init; }

    /// <summary>The augmentation of every fine-tuning and probe run.</summary>
    public ClassifierAugmentationOptions ClassifierAugmentation =>
        NoAugmentation || (Data is null && Family == SynthFamily.Texture) ? ClassifierAugmentationOptions.None : new ClassifierAugmentationOptions { MinCropScale = MinCropScale };

    public string Device { get; init; } = "auto";
}
