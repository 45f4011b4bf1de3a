namespace GlcmMae.Shared.Safety;

/// <summary>How unlike the training scans a scan looks, from the model's own output; higher is less alike.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<OodScoreKind>))]
public enum OodScoreKind
{
    /// <summary>The energy score, -logsumexp(logits) (Liu et al., 2020): low for inputs the classifier saw the like of.</summary>
    Energy,

    /// <summary>One minus the largest calibrated class probability (the maximum-softmax baseline).</summary>
    MaxProbability,

    /// <summary>
    /// The Mahalanobis distance of the scan's <see cref="TextureSignature"/> (intensity and GLCM statistics of the model's
    /// input) from the training scans' (<see cref="TextureReference"/>): independent of how confident the classifier is.
    /// </summary>
    TextureDistance,
}
