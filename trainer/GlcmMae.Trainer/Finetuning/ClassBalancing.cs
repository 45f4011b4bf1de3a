namespace GlcmMae.Trainer.Finetuning;

/// <summary>How fine-tuning counters class imbalance.</summary>
internal enum ClassBalancing
{
    /// <summary>Plain cross-entropy over the natural class mix.</summary>
    None,

    /// <summary>Cross-entropy weighted by inverse class frequency.</summary>
    Loss,

    /// <summary>Batches drawn with replacement, each class equally likely.</summary>
    Sampler,
}
