using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Finetuning;

/// <summary>The outcome of one fine-tuning run (or one fold).</summary>
internal sealed record FinetuneResult(
    string Folder,
    string ModelFolder,
    int SelectedEpoch,
    double ValidationBalancedAccuracy,
    ClassificationMetrics? Test,
    string? Report);
