namespace GlcmMae.Trainer.Tests;

/// <summary>Tests that judge time or the process's memory run alone: a neighbour's training would be charged to them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuringCollection
{
    public const string Name = "measuring";
}
