using GlcmMae.Shared.Hosting;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using GlcmMae.Shared.Storage;
using GlcmMae.Trainer.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GlcmMae.Trainer.Serving;

/// <summary>The serving pipeline outside Azure Functions: the same registrations, configured from command-line choices.</summary>
internal static class ServingEnvironment
{
    /// <summary>Builds the services for a model store and a topic transport.</summary>
    /// <remarks>
    /// The Inference section (threads, batching, limits) and the Storage and ServiceBus connections also come from the
    /// settings file and GLCMMAE_ environment variables, as for every command; <paramref name="executionProvider"/> and
    /// <paramref name="microBatching"/> override them only when given, and <paramref name="connections"/> (a local
    /// Azurite) replaces the connection settings.
    /// </remarks>
    public static ServiceProvider Create(
        ModelStoreKind store,
        string root,
        string modelName,
        OutcomeTransport topic,
        ExecutionProviderChoice? executionProvider,
        bool? microBatching,
        LogLevel logLevel,
        bool explain = false,
        AzureConnections? connections = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Models:Name"] = modelName,
            ["Inference:ExecutionProvider"] = executionProvider?.ToString(),
            ["Inference:MicroBatching"] = microBatching?.ToString(),
            ["Inference:Explain"] = explain ? "true" : null,
            ["Serving:ModelStore"] = store.ToString(),
            ["Serving:ModelsRoot"] = Path.Combine(root, "models"),
            ["Serving:Messaging"] = topic.ToString(),
            ["Serving:TopicsRoot"] = Path.Combine(root, "topics"),
        };
        var configuration = new ConfigurationBuilder().AddGlcmMaeSettings(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel));

        // Logs go to standard error at every level: standard output carries the command's table or its one JSON document.
        services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        services.AddGlcmAzureClients(connections ?? AzureConnections.From(configuration));
        services.AddScanServing(configuration);
        return services.BuildServiceProvider();
    }
}
