using System.Text.Json;

namespace GlcmMae.Trainer.Cli;

/// <summary>The form of the one JSON document a command prints with <c>--json</c> (camelCase, indented), where the command has no contract of its own.</summary>
internal static class CliJson
{
    /// <summary>camelCase names, indented.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
