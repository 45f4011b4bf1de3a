using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Finetuning;

/// <summary>Ignores fine-tuning progress (JSON output, benchmarks, nested runs).</summary>
internal sealed class NullFinetuneObserver : IFinetuneObserver
{
    public static readonly NullFinetuneObserver Instance = new();

    public void Message(string text)
    {
    }

    public void EpochCompleted(int fold, FinetuneEpoch epoch, int epochs)
    {
    }
}
