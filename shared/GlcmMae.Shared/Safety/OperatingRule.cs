namespace GlcmMae.Shared.Safety;

/// <summary>How the positive class's decision threshold was chosen on the validation split.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<OperatingRule>))]
public enum OperatingRule
{
    /// <summary>The highest threshold whose validation sensitivity reaches the target (the most specific one that does).</summary>
    Sensitivity,

    /// <summary>The threshold that maximises Youden's J (sensitivity + specificity - 1).</summary>
    Youden,
}
