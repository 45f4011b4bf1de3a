using System.Text.Json;
using System.Text.Json.Serialization;

namespace GlcmMae.Shared.Contracts;

/// <summary>The JSON form of messages: camelCase, nulls omitted.</summary>
public static class ContractJson
{
    /// <summary>Serializer options for every contract type.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
