using System.CommandLine;
using System.Text.Json;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using GlcmMae.Shared.Storage;
using GlcmMae.Trainer.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae serve</c>: the functions' pipeline on this machine, over a scans folder or the scan-events queue.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var store = CommonOptions.Store();
        var root = CommonOptions.StoreRoot();
        var name = CommonOptions.ModelName();
        var scans = new Option<string?>("--scans") { Description = "Folder to watch for scans (default: <root>/scans)." };
        var queue = new Option<bool>("--queue") { Description = "Consume the scan-events storage queue (on the account of the Storage settings, e.g. Azurite) instead of a folder." };
        var topic = new Option<OutcomeTransport>("--topic") { Description = "File (<root>/topics/scan-results, scan-errors) or ServiceBus (the namespace of the ServiceBus settings).", DefaultValueFactory = _ => OutcomeTransport.File };
        var once = new Option<bool>("--once") { Description = "Process what is there, then exit." };
        var device = new Option<ExecutionProviderChoice?>("--execution-provider") { Description = "Auto (CUDA if it works, else CPU with a warning), Cuda or Cpu (default: Inference:ExecutionProvider, else Auto)." };
        var concurrency = new Option<int>("--concurrency") { Description = "Scans in flight at once (folder mode).", DefaultValueFactory = _ => 8 };
        var batching = new Option<bool?>("--micro-batching") { Description = "Batch concurrent scans (default: on for CUDA, off for CPU)." };
        var json = CommonOptions.Json();
        var command = new Command("serve", Strings.ServeDescription) { store, root, name, scans, queue, topic, once, device, concurrency, batching, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var console = ConsoleOutput.Create(parseResult);
            var quiet = parseResult.GetValue(json);
            var rootFolder = parseResult.GetRequiredValue(root);
            await using var services = ServingEnvironment.Create(
                parseResult.GetRequiredValue(store), rootFolder, parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(topic),
                parseResult.GetValue(device), parseResult.GetValue(batching), LogLevel.Warning);
            var models = services.GetRequiredService<ModelHost>();
            await models.RefreshAsync(cancellationToken).ConfigureAwait(false);
            // With --json, standard output is one array of the outcomes (results and errors, as on the topics), streamed.
            using var outcomes = quiet ? new JsonArrayOutput(parseResult.InvocationConfiguration.Output) : null;
            var loop = new ServeLoop(models, services.GetRequiredService<ScanPipeline>(), services.GetRequiredService<IOutcomePublisher>(), outcome =>
            {
                if (outcomes is not null)
                {
                    outcomes.Write(JsonSerializer.Serialize<object>(outcome.Result is not null ? outcome.Result : outcome.Error!, ContractJson.Options));
                }
                else
                {
                    console.MarkupLine(Markup.Escape(string.Join("  ", OutcomeRow.From(outcome).Cells().Where(c => c.Length > 0))));
                }
            });
            var serving = models.Current!;
            if (!quiet)
            {
                console.MarkupLine(Markup.Escape($"Serving {serving.Manifest.Name} {serving.Manifest.Version} on {serving.Engine.ExecutionProvider}{(serving.Engine.FallbackReason is { } why ? $" (CUDA unavailable: {why})" : string.Empty)}, threads {serving.Engine.Threads.Describe()}, micro-batching {(serving.MicroBatching ? "on" : "off")}; press Ctrl+C to stop."));
            }

            var onlyOnce = parseResult.GetValue(once);
            var count = parseResult.GetValue(queue)
                ? await loop.RunQueueAsync(
                    services.GetRequiredService<ScanEventProcessor>(),
                    services.GetRequiredService<AzureConnections>(),
                    onlyOnce,
                    services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GlcmMae.Shared.Studies.StudyOptions>>().Value.Store == GlcmMae.Shared.Studies.StudyStore.Table ? services.GetRequiredService<GlcmMae.Shared.Studies.StudyCompleter>() : null,
                    cancellationToken).ConfigureAwait(false)
                : await loop.RunFolderAsync(new FolderScanSource(parseResult.GetValue(scans) ?? Path.Combine(rootFolder, "scans")), onlyOnce, Math.Max(1, parseResult.GetValue(concurrency)), cancellationToken).ConfigureAwait(false);
            if (!quiet)
            {
                console.MarkupLine(Markup.Escape($"Processed {count} scan(s); outcomes under {Path.Combine(rootFolder, "topics")}."));
            }

            return 0;
        }));
        return command;
    }
}
