using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Training;

/// <summary>Forwards every event to several observers.</summary>
internal sealed class CompositeObserver(params IPretrainObserver[] observers) : IPretrainObserver
{
    public void RunStarted(PretrainPlan plan) => Array.ForEach(observers, o => o.RunStarted(plan));

    public void EpochStarted(int epoch, int epochs, int steps) => Array.ForEach(observers, o => o.EpochStarted(epoch, epochs, steps));

    public void StepCompleted(StepMetrics metrics) => Array.ForEach(observers, o => o.StepCompleted(metrics));

    public void EpochCompleted(EpochMetrics metrics) => Array.ForEach(observers, o => o.EpochCompleted(metrics));

    public void Message(string text) => Array.ForEach(observers, o => o.Message(text));
}
