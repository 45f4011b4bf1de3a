using GlcmMae.Shared.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GlcmMae.Shared.Inference;

/// <summary>
/// Keeps the registry's current model (or the pinned version, <see cref="ServingOptions.PinnedVersion"/>) loaded: loads it at start, loads and warms a newly promoted version in the
/// background, swaps atomically, and disposes the old one after its in-flight requests finish.
/// </summary>
public sealed partial class ModelHost(ModelRegistry registry, IOptions<ServingOptions> options, ILogger<ModelHost> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private ServingModel? _current;

    /// <summary>The model serving now, if one is loaded.</summary>
    public ServingModel? Current => Volatile.Read(ref _current);

    /// <summary>Why the last refresh failed, if it did (shown by health checks).</summary>
    public string? LastError { get; private set; }

    /// <summary>A lease on the current model, loading it first if needed.</summary>
    public async Task<ModelLease> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var model = Current;
            if (model is null)
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
                model = Current ?? throw new ModelRegistryException("NoCurrentModel", $"No current version of {options.Value.ModelName} in {registry.Store.Location}; publish and promote one (glcmmae publish).");
            }

            if (model.TryAcquire())
            {
                return new ModelLease(model);
            }
        }
    }

    /// <summary>Loads the current version if it differs from the one serving; true when a new version was swapped in.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var name = options.Value.ModelName;
            var version = options.Value.PinnedVersion ?? (await registry.GetCurrentAsync(name, cancellationToken).ConfigureAwait(false))?.Current.Version;
            if (version is null || version == Current?.Manifest.Version)
            {
                return false;
            }

            var loaded = await registry.LoadAsync(name, version, cancellationToken).ConfigureAwait(false);
            var serving = options.Value;
            var engine = OnnxClassifierEngine.Create(loaded, serving, logger);
            var threads = engine.Threads;
            var model = new ServingModel(engine, threads.MicroBatching ? new MicroBatcher(engine, threads.MaxBatchSize, TimeSpan.FromMilliseconds(serving.MaxBatchDelayMilliseconds), threads.BatchWorkers) : null);
            var previous = Interlocked.Exchange(ref _current, model);
            previous?.Retire();
            LastError = null;
            Diagnostics.ServingMetrics.SetCpuFallback(engine.FallbackReason is not null);
            LogLoaded(logger, name, version, engine.ExecutionProvider, threads.MicroBatching, threads.Describe());
            return true;
        }
        catch (Exception exception) when (exception is ModelRegistryException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            // Keep serving the old version; the health endpoint reports the failure.
            LastError = exception.Message;
            LogRefreshFailed(logger, exception.Message);
            if (Current is null)
            {
                throw;
            }

            return false;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _current, null)?.Retire();
        _loading.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Name} {Version} on {Provider} (micro-batching {Batching}; threads {Threads})")]
    private static partial void LogLoaded(ILogger logger, string name, string version, string provider, bool batching, string threads);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not load the current model: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);
}
