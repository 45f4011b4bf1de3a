namespace GlcmMae.Shared.Inference;

/// <summary>How strictly serving holds a scan to the model's <see cref="Models.ModelScope"/>.</summary>
public enum ScopeCheck
{
    /// <summary>Modality, samples per pixel, photometric interpretation, bit depth, and size within half to twice the trained range (each where the scan carries it).</summary>
    Full,

    /// <summary>Modality and samples per pixel only.</summary>
    Modality,

    /// <summary>No check (a model without a recorded scope is never checked either).</summary>
    Off,
}
