using System.Text.Json;
using System.Text.Json.Serialization;

namespace GlcmMae.Trainer;

/// <summary>The JSON form of every file a run writes (checkpoint state, metrics, predictions, reports): one setting, so readers of any of them agree.</summary>
internal static class RunJson
{
    /// <summary>Indented, camelCase names and enums, NaN and infinities as named literals (a diverged loss is still written).</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
