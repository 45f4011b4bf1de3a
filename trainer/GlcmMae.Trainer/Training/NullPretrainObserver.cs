using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Training;

/// <summary>Ignores pretraining progress (JSON output, benchmarks, nested runs).</summary>
internal sealed class NullPretrainObserver : IPretrainObserver
{
    public static readonly NullPretrainObserver Instance = new();

    public void RunStarted(PretrainPlan plan)
    {
    }

    public void EpochStarted(int epoch, int epochs, int steps)
    {
    }

    public void StepCompleted(StepMetrics metrics)
    {
    }

    public void EpochCompleted(EpochMetrics metrics)
    {
    }

    public void Message(string text)
    {
    }
}
