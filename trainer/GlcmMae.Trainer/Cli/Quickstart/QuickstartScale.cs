namespace GlcmMae.Trainer.Cli.Quickstart;

/// <summary>The quickstart's dataset size and training lengths.</summary>
/// <param name="PerClass">Synthetic images per class (three classes).</param>
/// <param name="PretrainBatch">Pretraining batch size.</param>
/// <param name="MseEpochs">Stage 1 (MSE) pretraining epochs.</param>
/// <param name="GlcmEpochs">Stage 2 (GLCM-MAE) pretraining epochs.</param>
/// <param name="FinetuneEpochs">Fine-tuning epochs.</param>
/// <param name="FinetuneBatch">Fine-tuning batch size.</param>
internal sealed record QuickstartScale(int PerClass, int PretrainBatch, int MseEpochs, int GlcmEpochs, int FinetuneEpochs, int FinetuneBatch)
{
    /// <summary>Side of the generated images: the tiny model's 64 px input comes from a 73 px resize of these.</summary>
    public const int ImageSize = 96;

    /// <summary>
    /// Lesion size relative to <c>glcmmae synth</c>'s default: a field of view closer around the lesion, whose texture is
    /// the only class cue, so that a tiny model learns it from a few hundred images in about a minute on 2 cores.
    /// </summary>
    public const double LesionScale = 2;

    /// <summary>
    /// The one split of both stages: pretraining sees the training images only, and fine-tuning validates and tests on
    /// the images it held out (a fifth validation, a quarter test).
    /// </summary>
    public static Data.KeyedSplit Split { get; } = new("quickstart", validationFraction: 0.2, testFraction: 0.25);

    /// <summary>The demo: 300 images, and a classifier well above chance (the README has the measured figures) in about a minute of training on 2 cores.</summary>
    public static QuickstartScale Demo { get; } = new(PerClass: 100, PretrainBatch: 32, MseEpochs: 15, GlcmEpochs: 5, FinetuneEpochs: 40, FinetuneBatch: 16);

    /// <summary>A smoke run of every stage (CI, install checks): 48 images and a few steps each, so the classifier stays near chance.</summary>
    public static QuickstartScale Smoke { get; } = new(PerClass: 16, PretrainBatch: 16, MseEpochs: 3, GlcmEpochs: 3, FinetuneEpochs: 12, FinetuneBatch: 8);
}
