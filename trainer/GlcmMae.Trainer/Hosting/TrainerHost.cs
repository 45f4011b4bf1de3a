using GlcmMae.Shared.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GlcmMae.Trainer.Hosting;

/// <summary>Builds the service host behind the commands: settings, logging to stderr, telemetry.</summary>
internal static class TrainerHost
{
    /// <summary>Creates a host; later sources win: settings file, then environment, then command-line values.</summary>
    public static IHost Build(IReadOnlyDictionary<string, string?> commandLineSettings, Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "glcmmae",
            ContentRootPath = Directory.GetCurrentDirectory(),
        });

        builder.Configuration.AddGlcmMaeSettings(commandLineSettings);

        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        // Standard output carries tables and --json; all log levels go to standard error.
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        builder.Services.AddGlcmTelemetry(builder.Configuration, "glcmmae-trainer");
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }
}
