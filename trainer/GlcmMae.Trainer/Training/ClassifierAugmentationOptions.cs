namespace GlcmMae.Trainer.Training;

/// <summary>Fine-tuning augmentation of the method doc: random resized crop, flip, RandAugment (m9, mstd 0.5), random erasing 0.25.</summary>
internal sealed record ClassifierAugmentationOptions
{
    /// <summary>No augmentation at all (evaluation, or linear probing when asked).</summary>
    public static readonly ClassifierAugmentationOptions None = new() { Enabled = false };

    public bool Enabled { get; init; } = true;

    /// <summary>Smallest crop area fraction of the random resized crop (timm's 0.08).</summary>
    public double MinCropScale { get; init; } = 0.08;

    /// <summary>Probability of a horizontal flip.</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>RandAugment operations per image.</summary>
    public int Operations { get; init; } = 2;

    /// <summary>RandAugment magnitude on the 0-10 scale.</summary>
    public double Magnitude { get; init; } = 9;

    /// <summary>Standard deviation of the per-operation magnitude (timm's mstd).</summary>
    public double MagnitudeStd { get; init; } = 0.5;

    /// <summary>Probability that each chosen operation is applied (timm's default 0.5).</summary>
    public double OperationProbability { get; init; } = 0.5;

    /// <summary>Probability of erasing one random rectangle.</summary>
    public double ErasingProbability { get; init; } = 0.25;
}
