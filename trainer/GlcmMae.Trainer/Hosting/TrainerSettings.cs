using GlcmMae.Shared.Storage;
using Microsoft.Extensions.Configuration;

namespace GlcmMae.Trainer.Hosting;

/// <summary>The settings sources of every command, later ones winning: the settings file, <c>GLCMMAE_</c> environment variables, then what the command line set.</summary>
internal static class TrainerSettings
{
    /// <summary>Environment variables with this prefix override the settings file (GLCMMAE_Inference__IntraOpThreads=1 sets Inference:IntraOpThreads).</summary>
    public const string EnvironmentPrefix = "GLCMMAE_";

    /// <summary>The optional settings file, looked up in the working directory unless GLCMMAE_SETTINGS names one.</summary>
    public const string DefaultSettingsFile = "glcmmae.json";

    /// <summary>The settings a command reads when its command line sets none of them: the settings file, then the environment.</summary>
    public static IConfiguration Read() => new ConfigurationBuilder().AddGlcmMaeSettings([]).Build();

    /// <summary>The storage account and Service Bus namespace of <see cref="Read"/>'s <c>Storage</c> and <c>ServiceBus</c> settings.</summary>
    public static AzureConnections Connections() => AzureConnections.From(Read());

    /// <summary>Adds the settings file, the environment and the command line's values, in that order.</summary>
    /// <param name="builder">The configuration to add to.</param>
    /// <param name="commandLine">Values the command line set; a null value means "not given" and hides nothing.</param>
    /// <param name="settingsFile">The settings file; null = GLCMMAE_SETTINGS, else <see cref="DefaultSettingsFile"/> in the working directory.</param>
    public static IConfigurationBuilder AddGlcmMaeSettings(this IConfigurationBuilder builder, IEnumerable<KeyValuePair<string, string?>> commandLine, string? settingsFile = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(commandLine);
        settingsFile ??= Environment.GetEnvironmentVariable(EnvironmentPrefix + "SETTINGS") ?? DefaultSettingsFile;
        return builder
            .AddJsonFile(Path.GetFullPath(settingsFile), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables(EnvironmentPrefix)
            // A key present with a null value would read as null over the file's and the environment's values.
            .AddInMemoryCollection(commandLine.Where(setting => setting.Value is not null));
    }
}
