using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GlcmMae.Trainer.Serving;

/// <summary>A model served from a private copy (a temporary folder registry), pinned, with the serving options a measurement needs: the benchmarks' and the export's safety fit.</summary>
internal sealed class ServedCopy : IAsyncDisposable
{
    private readonly string _folder;

    private ServedCopy(string folder, ModelHost host, ScanPipeline pipeline)
    {
        _folder = folder;
        Host = host;
        Pipeline = pipeline;
    }

    /// <summary>The model host (its current model is the copy).</summary>
    public ModelHost Host { get; }

    /// <summary>The serving pipeline over the copy.</summary>
    public ScanPipeline Pipeline { get; }

    /// <summary>Publishes <paramref name="model"/> (its manifest as <paramref name="manifest"/> makes it) into a temporary registry and serves it on the CPU.</summary>
    public static async Task<ServedCopy> StartAsync(LoadedModel model, Func<ModelManifest, ModelManifest> manifest, Action<ServingOptions> configure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        var onnxPath = Path.Combine(Path.GetTempPath(), $"glcmmae-served-{Guid.NewGuid():N}.onnx");
        await File.WriteAllBytesAsync(onnxPath, model.Onnx, cancellationToken).ConfigureAwait(false);
        try
        {
            return await StartAsync(manifest(model.Manifest), onnxPath, configure, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(onnxPath);
        }
    }

    /// <summary>Publishes the graph at <paramref name="onnxPath"/> with <paramref name="manifest"/> into a temporary registry and serves it (on the CPU unless <paramref name="configure"/> says otherwise).</summary>
    public static async Task<ServedCopy> StartAsync(ModelManifest manifest, string onnxPath, Action<ServingOptions> configure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(configure);
        var folder = Directory.CreateTempSubdirectory("glcmmae-served-").FullName;
        var registry = new ModelRegistry(new LocalFolderBlobStore(folder));
        await registry.PublishAsync(manifest, onnxPath, null, null, cancellationToken).ConfigureAwait(false);
        var options = new ServingOptions { ModelName = manifest.Name, PinnedVersion = manifest.Version, ExecutionProvider = ExecutionProviderChoice.Cpu, MicroBatching = false };
        configure(options);
        var serving = Options.Create(options);
        var host = new ModelHost(registry, serving, NullLogger<ModelHost>.Instance);
        // The pipeline logs blob names; these scans get neutral names, and its log goes nowhere.
        return new ServedCopy(folder, host, new ScanPipeline(host, serving, NullLogger<ScanPipeline>.Instance));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_folder, recursive: true);
    }
}
