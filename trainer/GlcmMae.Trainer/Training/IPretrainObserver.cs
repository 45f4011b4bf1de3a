using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Training;

/// <summary>Receives progress of a pretraining run (progress bars, metric logs).</summary>
internal interface IPretrainObserver
{
    void RunStarted(PretrainPlan plan);

    void EpochStarted(int epoch, int epochs, int steps);

    void StepCompleted(StepMetrics metrics);

    void EpochCompleted(EpochMetrics metrics);

    void Message(string text);
}
