namespace GlcmMae.Shared.Safety;

/// <summary>Temperature scaling (Guo et al., 2017) fitted on the validation split: probabilities are softmax(logits / T).</summary>
/// <param name="Temperature">T; above 1 softens an overconfident model, below 1 sharpens an underconfident one.</param>
/// <param name="EceBefore">Expected calibration error (15 bins) on validation at T = 1.</param>
/// <param name="EceAfter">The same at the fitted T.</param>
/// <param name="NllBefore">Mean negative log-likelihood on validation at T = 1.</param>
/// <param name="NllAfter">The same at the fitted T (the quantity T minimises).</param>
public sealed record TemperatureCalibration(double Temperature, double EceBefore, double EceAfter, double NllBefore, double NllAfter);
