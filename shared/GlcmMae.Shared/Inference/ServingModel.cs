using GlcmMae.Shared.Models;
using GlcmMae.Shared.Preprocessing;

namespace GlcmMae.Shared.Inference;

/// <summary>A loaded model version ready to serve: engine, optional micro-batcher and the preprocessor its manifest specifies.</summary>
/// <remarks>Requests hold a lease; a replaced model is disposed only when its last lease is released.</remarks>
public sealed class ServingModel
{
    private readonly OnnxClassifierEngine _engine;
    private readonly MicroBatcher? _batcher;
    private int _leases;
    private int _retired;

    /// <summary>Wraps a warmed-up engine.</summary>
    public ServingModel(OnnxClassifierEngine engine, MicroBatcher? batcher)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _batcher = batcher;
        Preprocessor = new Preprocessor(engine.Manifest.ReadPreprocessing());
        LoadedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The manifest.</summary>
    public ModelManifest Manifest => _engine.Manifest;

    /// <summary>The engine (provider, fallback).</summary>
    public OnnxClassifierEngine Engine => _engine;

    /// <summary>The manifest's preprocessing.</summary>
    public Preprocessor Preprocessor { get; }

    /// <summary>True when requests are micro-batched.</summary>
    public bool MicroBatching => _batcher is not null;

    /// <summary>Batches and images run through the micro-batcher so far; (0, 0) without one.</summary>
    public (long Batches, long Images) BatchStatistics => _batcher?.Statistics ?? (0, 0);

    /// <summary>When this version was loaded.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Class scores for one preprocessed image (<see cref="OnnxClassifierEngine.ScoresAreLogits"/>), through the batcher when there is one.</summary>
    /// <remarks>
    /// The caller's lease counts as a request in progress; when it is the only one, nothing else will need the cores
    /// before this run ends, and the run goes to the engine's idle session (all cores) when it has one.
    /// </remarks>
    public async Task<BatchedInference> InferAsync(float[] image, CancellationToken cancellationToken)
    {
        var alone = _engine.HasIdleSession && Volatile.Read(ref _leases) == 1;
        if (_batcher is not null && !alone)
        {
            return await _batcher.InferAsync(image, cancellationToken).ConfigureAwait(false);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var scores = _engine.Run(image, 1, whileIdle: alone);
        return new BatchedInference(scores, 0, clock.Elapsed.TotalMilliseconds, 1);
    }

    /// <summary>Takes a lease; false if the model was retired and drained meanwhile (take the new current one).</summary>
    internal bool TryAcquire()
    {
        Interlocked.Increment(ref _leases);
        if (Volatile.Read(ref _retired) == 0)
        {
            return true;
        }

        Release();
        return false;
    }

    /// <summary>Returns a lease; the last one out of a retired model disposes it.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0 && Volatile.Read(ref _retired) == 1)
        {
            _ = DisposeOnceAsync();
        }
    }

    /// <summary>Marks the model replaced; it is disposed as soon as no request holds it.</summary>
    internal void Retire()
    {
        Volatile.Write(ref _retired, 1);
        if (Volatile.Read(ref _leases) == 0)
        {
            _ = DisposeOnceAsync();
        }
    }

    private int _disposed;

    private async Task DisposeOnceAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_batcher is not null)
        {
            await _batcher.DisposeAsync().ConfigureAwait(false);
        }

        _engine.Dispose();
    }
}
