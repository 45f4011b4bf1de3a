using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Runs;

/// <summary>Copies a pretraining stage's folder to the run's mirror after every epoch (after its checkpoint is written).</summary>
internal sealed class MirroringObserver(RunMirror mirror, string stageFolder, CancellationToken cancellationToken) : IPretrainObserver
{
    public void RunStarted(PretrainPlan plan)
    {
    }

    public void EpochStarted(int epoch, int epochs, int steps)
    {
    }

    public void StepCompleted(StepMetrics metrics)
    {
    }

    // The observer interface is synchronous; an epoch boundary is a fine place to wait for the upload, as the next
    // epoch must not start before the checkpoint that protects it is safe.
    public void EpochCompleted(EpochMetrics metrics) => mirror.SyncAsync(stageFolder, cancellationToken).GetAwaiter().GetResult();

    public void Message(string text)
    {
    }
}
