namespace GlcmMae.Shared.Models;

/// <summary>What happened to a version in the registry (written by name in current.json and model events).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ModelDecision>))]
public enum ModelDecision
{
    /// <summary>It became the serving version (by the publish gate or by hand).</summary>
    Promoted,

    /// <summary>It was published but the publish gate kept the current version.</summary>
    Refused,

    /// <summary>It became the serving version again by a rollback.</summary>
    RolledBack,
}
