namespace GlcmMae.Trainer.Registry.ModelCards;

/// <summary>The words of a model card that only its owners can write: what it is for, what it is not for, what they know it gets wrong.</summary>
internal sealed record ModelCardText
{
    /// <summary>The default intended use.</summary>
    public const string DefaultIntendedUse =
        "Decision support for trained readers: flags and ranks scans of the listed classes for review. Every result is checked by a qualified clinician before it informs care.";

    /// <summary>The default out-of-scope use.</summary>
    public const string DefaultOutOfScope =
        "Diagnosis without a clinician's review; modalities, body parts, devices, sites or populations absent from the training data; any class not listed.";

    /// <summary>What the model is for.</summary>
    public string IntendedUse { get; init; } = DefaultIntendedUse;

    /// <summary>What it must not be used for.</summary>
    public string OutOfScope { get; init; } = DefaultOutOfScope;

    /// <summary>Limitations the owners know of, added to the ones the card derives from the data and figures.</summary>
    public IReadOnlyList<string> Limitations { get; init; } = [];
}
