using Azure.Storage.Queues;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using GlcmMae.Shared.Storage;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Export;
using GlcmMae.Trainer.Finetuning;
using GlcmMae.Trainer.Hosting;
using GlcmMae.Trainer.Registry;
using GlcmMae.Trainer.Serving;
using GlcmMae.Trainer.Synthesis;
using GlcmMae.Trainer.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GlcmMae.Trainer.Cli.Quickstart;

/// <summary>Quickstart after pretraining: fine-tune, evaluate, export with parity, publish and promote, then serve held-out scans.</summary>
internal static class ServingStage
{
    /// <summary>Model name the quickstart publishes under.</summary>
    public const string ModelName = "quickstart";

    public static async Task<ServingStageResult> RunAsync(
        string root, string folder, string pretrainRun, QuickstartScale scale, IFinetuneObserver observer, bool withAzurite, CancellationToken cancellationToken)
    {
        await using var azurite = withAzurite ? await LocalAzurite.StartAsync(cancellationToken).ConfigureAwait(false) : null;

        // Everything below (registry, blob reads, queue) talks to this Azurite, exactly as it would to Azure.
        return await RunStagesAsync(root, folder, pretrainRun, scale, observer, azurite?.Connections, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ServingStageResult> RunStagesAsync(
        string root, string folder, string pretrainRun, QuickstartScale scale, IFinetuneObserver observer, AzureConnections? azurite, CancellationToken cancellationToken)
    {
        var store = azurite is null ? ModelStoreKind.Local : ModelStoreKind.Azure;
        var data = Path.Combine(folder, "synth");
        var run = Path.Combine(folder, "runs", "finetune");
        var finetune = (await new FinetuneRunner(observer).RunAsync(
            new FinetuneOptions
            {
                Data = data,
                Output = run,
                Checkpoint = pretrainRun,
                Epochs = scale.FinetuneEpochs,
                Batch = scale.FinetuneBatch,
                LearningRate = 1e-3,
                WarmupEpochs = 3,
                // Random resized crops rescale the speckle, and speckle size is what tells these classes apart.
                Augmentation = ClassifierAugmentationOptions.None,
                StableSplit = QuickstartScale.Split,
                PositiveLabel = "malignant",
                BootstrapResamples = 200,
                Seed = 1,
            },
            cancellationToken).ConfigureAwait(false))[0];

        var export = await ModelExporter.ExportAsync(run, Path.Combine(run, "export"), ModelName, new Safety.SafetyOptions { PositiveLabel = "malignant" }, cancellationToken).ConfigureAwait(false);
        var registry = await ModelStores.OpenAsync(store, root, azurite, cancellationToken).ConfigureAwait(false);
        var published = await Publisher.PublishAsync(registry, export, new PublishSettings(), null, cancellationToken).ConfigureAwait(false);

        // Held-out scans the model never saw, as a user would drop them in: PNG, DICOM, and one broken file.
        var scans = Path.Combine(folder, "scans");
        if (Directory.Exists(scans))
        {
            Directory.Delete(scans, recursive: true);
        }

        SynthDatasetWriter.Write(Path.Combine(scans, "png"), perClass: 2, QuickstartScale.ImageSize, SynthFormat.Png, seed: 99, lesionScale: QuickstartScale.LesionScale, cancellationToken: cancellationToken);
        SynthDatasetWriter.Write(Path.Combine(scans, "dicom"), perClass: 1, QuickstartScale.ImageSize, SynthFormat.DicomUs, seed: 98, lesionScale: QuickstartScale.LesionScale, cancellationToken: cancellationToken);
        foreach (var manifest in Directory.EnumerateFiles(scans, "labels.csv", SearchOption.AllDirectories))
        {
            File.Delete(manifest);
        }

        await File.WriteAllBytesAsync(Path.Combine(scans, "truncated.dcm"), [.. new byte[128], .. "DICM"u8.ToArray(), 2, 0, 0x10, 0], cancellationToken).ConfigureAwait(false);
        var topics = Path.Combine(root, "topics");
        await using var services = ServingEnvironment.Create(store, root, ModelName, OutcomeTransport.File, null, null, LogLevel.Error, connections: azurite);
        var models = services.GetRequiredService<ModelHost>();
        await models.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<OutcomeRow>();
        var loop = new ServeLoop(models, services.GetRequiredService<ScanPipeline>(), services.GetRequiredService<IOutcomePublisher>(), outcome => rows.Add(OutcomeRow.From(outcome)));
        string transport;
        if (azurite is not null)
        {
            await UploadAndAnnounceAsync(azurite, scans, cancellationToken).ConfigureAwait(false);
            await loop.RunQueueAsync(services.GetRequiredService<ScanEventProcessor>(), azurite, once: true, null, cancellationToken).ConfigureAwait(false);
            transport = "Azurite: blob container scans, queue scan-events";
        }
        else
        {
            await loop.RunFolderAsync(new FolderScanSource(scans), once: true, concurrency: 4, cancellationToken).ConfigureAwait(false);
            transport = "folder " + scans;
        }

        return new ServingStageResult(finetune.Test, finetune.Report, export.Parity, published, models.Current!.Engine.ExecutionProvider, [.. rows.OrderBy(r => r.Scan, StringComparer.Ordinal)], topics, transport);
    }

    /// <summary>Uploads the scans to the <c>scans</c> container and enqueues the BlobCreated events Event Grid would deliver.</summary>
    private static Task<IReadOnlyList<UploadedScan>> UploadAndAnnounceAsync(AzureConnections azurite, string scans, CancellationToken cancellationToken) =>
        ScanUploader.UploadAsync(azurite.Container(ScanEventProcessor.ScansContainer), ScanEventQueues.Open(azurite), ScanUploader.Expand([scans], string.Empty), null, ScanEventSchema.EventGrid, ScanEventEncoding.Plain, cancellationToken);
}

/// <summary>What the quickstart's classifier and serving stages produced.</summary>
internal sealed record ServingStageResult(
    ClassificationMetrics? Test, string? Report, ParityResult Parity, PublishResult Published, string ExecutionProvider, IReadOnlyList<OutcomeRow> Outcomes, string Topics, string Transport);
