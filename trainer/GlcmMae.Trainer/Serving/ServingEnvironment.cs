using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
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
    /// <summary>Environment variable with a Service Bus connection string (the emulator's, or a namespace's).</summary>
    public const string ServiceBusConnectionVariable = "GLCMMAE_SERVICEBUS_CONNECTION_STRING";

    /// <summary>Builds the services; <paramref name="store"/> local|azure, <paramref name="topic"/> file|servicebus.</summary>
    /// <remarks>
    /// The Inference section (threads, batching, limits) also comes from the settings file and GLCMMAE_ environment
    /// variables, as for every command; <paramref name="executionProvider"/> and <paramref name="microBatching"/>
    /// override them only when given.
    /// </remarks>
    public static ServiceProvider Create(string store, string root, string modelName, string topic, ExecutionProviderChoice? executionProvider, bool? microBatching, LogLevel logLevel, bool explain = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Models:Name"] = modelName,
            ["Inference:ExecutionProvider"] = executionProvider?.ToString(),
            ["Inference:MicroBatching"] = microBatching?.ToString(),
            ["Inference:Explain"] = explain ? "true" : null,
            ["Serving:ModelStore"] = store,
            ["Serving:ModelsRoot"] = Path.Combine(root, "models"),
            ["Serving:Messaging"] = topic,
            ["Serving:TopicsRoot"] = Path.Combine(root, "topics"),
        };
        var configuration = new ConfigurationBuilder().AddGlcmMaeSettings(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel));

        // Logs go to standard error at every level: standard output carries the command's table or its one JSON document.
        services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        services.AddSingleton(_ => BlobService());
        services.AddSingleton(_ => StorageAccount.TableService());
        services.AddSingleton(_ => new ServiceBusClient(
            Environment.GetEnvironmentVariable(ServiceBusConnectionVariable) is { Length: > 0 } connection
                ? connection
                : throw new StorageNotConfiguredException($"--topic servicebus needs {ServiceBusConnectionVariable}.")));
        services.AddScanServing(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>The blob service of the configured storage account.</summary>
    public static BlobServiceClient BlobService()
    {
        var container = StorageAccount.Container("scans");
        return container.GetParentBlobServiceClient();
    }
}
