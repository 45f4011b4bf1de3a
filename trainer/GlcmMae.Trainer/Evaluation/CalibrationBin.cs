namespace GlcmMae.Trainer.Evaluation;

/// <summary>One bin of a reliability diagram: scans whose top-class confidence falls in (Lower, Upper].</summary>
internal sealed record CalibrationBin(double Lower, double Upper, int Count, double MeanConfidence, double Accuracy);
