using GlcmMae.Trainer.Models;

namespace GlcmMae.Trainer.Finetuning;

/// <summary>What a saved classifier is: shape, classes, preprocessing, provenance and the validation figures that selected it.</summary>
internal sealed record ClassifierState
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public required MaeConfig Model { get; init; }

    /// <summary>Class labels, index = logit position.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Canonical JSON of the preprocessing spec (the same one serving must apply).</summary>
    public required string PreprocessingSpec { get; init; }

    public FinetuneMode Mode { get; init; }

    /// <summary>What the weights started from: a checkpoint path, a .pth file or "scratch".</summary>
    public required string InitialisedFrom { get; init; }

    public long Seed { get; init; }

    /// <summary>The 1-based epoch selected on validation.</summary>
    public int Epoch { get; init; }

    public int Epochs { get; init; }

    public double ValidationBalancedAccuracy { get; init; }

    public double ValidationLoss { get; init; }

    /// <summary>SHA-256 over the training scans' content hashes and labels (<see cref="Data.DatasetSnapshot.Fingerprint"/>).</summary>
    public string? DatasetFingerprint { get; init; }

    public DateTimeOffset Created { get; init; }
}
