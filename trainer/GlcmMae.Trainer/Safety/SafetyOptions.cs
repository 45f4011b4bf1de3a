using System.ComponentModel.DataAnnotations;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Safety;

namespace GlcmMae.Trainer.Safety;

/// <summary>What export fits on the validation split: the abstention's keep rate and score, and the operating point.</summary>
internal sealed record SafetyOptions
{
    /// <summary>Share of in-distribution validation scans the abstention threshold keeps.</summary>
    [Range(0.5, 1.0)]
    public double KeepRate { get; init; } = 0.95;

    /// <summary>
    /// The out-of-distribution score. The texture distance by default: it asks whether the input looks like the
    /// training inputs rather than how confident the classifier is, which a small classifier can be about anything
    /// (docs/bench-ood.md has the measurements behind the choice).
    /// </summary>
    public OodScoreKind OodScore { get; init; } = OodScoreKind.TextureDistance;

    /// <summary>The class a positive decision names; null: no operating point.</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>How the operating point is chosen.</summary>
    public OperatingRule Rule { get; init; } = OperatingRule.Sensitivity;

    /// <summary>The validation sensitivity the threshold must reach under <see cref="OperatingRule.Sensitivity"/>.</summary>
    [Range(0.0, 1.0)]
    public double TargetSensitivity { get; init; } = 0.9;

    /// <summary>Fewest classified validation scans worth fitting on; below it the model ships without a profile (and says so).</summary>
    [Range(2, int.MaxValue)]
    public int MinimumScans { get; init; } = 20;

    /// <summary>ONNX Runtime execution provider for the validation pass.</summary>
    public ExecutionProviderChoice ExecutionProvider { get; init; } = ExecutionProviderChoice.Cpu;
}
