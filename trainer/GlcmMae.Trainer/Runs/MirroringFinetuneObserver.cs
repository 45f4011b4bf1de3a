using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Finetuning;

namespace GlcmMae.Trainer.Runs;

/// <summary>Passes fine-tuning progress on, and copies the run folder (selected model, resume point, history) to the run's mirror after every epoch.</summary>
internal sealed class MirroringFinetuneObserver(IFinetuneObserver inner, RunMirror mirror, string runFolder, CancellationToken cancellationToken) : IFinetuneObserver
{
    public void Message(string text) => inner.Message(text);

    public void EpochCompleted(int fold, FinetuneEpoch epoch, int epochs)
    {
        // The resume point of this epoch is written: it is safe once copied, before the next epoch starts.
        mirror.SyncAsync(runFolder, cancellationToken).GetAwaiter().GetResult();
        inner.EpochCompleted(fold, epoch, epochs);
    }
}
