namespace GlcmMae.Trainer.Evaluation;

/// <summary>One optimiser step's losses (unweighted terms; NaN when off), learning rate and throughput.</summary>
internal sealed record StepMetrics(
    int Epoch, long Step, double LearningRate, double Loss, double Mse, double Glcm, double Ssim, double Features,
    double Sharpness, double ImagesPerSecond, double ElapsedSeconds, Losses.TermGradientNorms? Gradients = null);

/// <summary>Means over an epoch.</summary>
internal sealed record EpochMetrics(int Epoch, long Step, double Loss, double Mse, double Glcm, double Ssim, double Features, double Seconds, string? Checkpoint);

/// <summary>What a run plans to do, reported once at its start.</summary>
internal sealed record PretrainPlan(
    string Model, string Device, int Images, int Skipped, int BatchSize, int Accumulation, int StepsPerEpoch, int FirstEpoch, int Epochs,
    long TotalSteps, double PeakLearningRate, string DataRange, string Loss, string? ResumedFrom);
