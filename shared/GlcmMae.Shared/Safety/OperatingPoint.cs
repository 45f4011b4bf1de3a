namespace GlcmMae.Shared.Safety;

/// <summary>The decision threshold on the positive class's calibrated probability, chosen on validation.</summary>
/// <param name="PositiveLabel">The class a positive decision names.</param>
/// <param name="Threshold">Positive when its calibrated probability is at least this.</param>
/// <param name="Rule">How the threshold was chosen.</param>
/// <param name="TargetSensitivity">The sensitivity asked for under <see cref="OperatingRule.Sensitivity"/>; null under Youden.</param>
/// <param name="ValidationSensitivity">Sensitivity on the validation split at the threshold.</param>
/// <param name="ValidationSpecificity">Specificity on the validation split at the threshold.</param>
public sealed record OperatingPoint(string PositiveLabel, double Threshold, OperatingRule Rule, double? TargetSensitivity, double ValidationSensitivity, double ValidationSpecificity);
