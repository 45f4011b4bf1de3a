using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Finetuning;

/// <summary>Receives fine-tuning progress (console, logs, tests).</summary>
internal interface IFinetuneObserver
{
    void Message(string text);

    void EpochCompleted(int fold, FinetuneEpoch epoch, int epochs);
}
