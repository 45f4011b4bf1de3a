namespace GlcmMae.Shared.Safety;

/// <summary>
/// What a model's manifest says about trusting its answers, all fitted on the validation split through the serving code:
/// the calibration serving applies, when it abstains, and where it decides.
/// </summary>
public sealed record SafetyProfile
{
    /// <summary>The split the profile was fitted on.</summary>
    public string FittedOn { get; init; } = "validation";

    /// <summary>Validation scans serving classified for the fit.</summary>
    public required int Scans { get; init; }

    /// <summary>Temperature scaling.</summary>
    public required TemperatureCalibration Calibration { get; init; }

    /// <summary>The training scans' texture statistics (<see cref="OodScoreKind.TextureDistance"/>); null: not fitted.</summary>
    public TextureReference? Texture { get; init; }

    /// <summary>Out-of-distribution abstention; null: never abstain.</summary>
    public AbstentionRule? Abstention { get; init; }

    /// <summary>The positive class's decision threshold; null: no decision, probabilities only.</summary>
    public OperatingPoint? OperatingPoint { get; init; }
}
