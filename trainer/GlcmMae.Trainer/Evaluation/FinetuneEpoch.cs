namespace GlcmMae.Trainer.Evaluation;

/// <summary>One epoch of fine-tuning: training figures, validation figures, and whether it became the selected model.</summary>
internal sealed record FinetuneEpoch(
    int Epoch,
    double LearningRate,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    double ValidationBalancedAccuracy,
    double Seconds,
    bool Selected);
