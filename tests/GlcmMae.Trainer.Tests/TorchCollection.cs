namespace GlcmMae.Trainer.Tests;

/// <summary>libtorch's RNG and thread settings are process-wide: tests that use them run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "torch";
}
