namespace GlcmMae.Trainer.Finetuning;

/// <summary>What fine-tuning trains.</summary>
internal enum FinetuneMode
{
    /// <summary>The whole network, with layer-wise learning-rate decay.</summary>
    Full,

    /// <summary>The linear head only, on the frozen encoder's pooled features.</summary>
    LinearProbe,
}
