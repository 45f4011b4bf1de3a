namespace GlcmMae.Shared.Inference;

/// <summary>How a loaded model is run: threads per session, the idle session, batch workers and micro-batching, resolved from <see cref="ServingOptions"/> once the provider is known.</summary>
/// <param name="IntraOpThreads">Intra-op threads of the session that serves load (0 = ONNX Runtime's default, one per physical core).</param>
/// <param name="IdleSession">Whether a second session runs a request that is the only one in progress.</param>
/// <param name="IdleIntraOpThreads">Intra-op threads of that second session (0 = ONNX Runtime's default, one per physical core).</param>
/// <param name="BatchWorkers">Micro-batches run at once.</param>
/// <param name="MicroBatching">Whether concurrent requests are micro-batched.</param>
/// <param name="MaxBatchSize">Largest micro-batch.</param>
/// <param name="Profile">Which rule chose the values, for logs and health checks: gpu, cpu-cores (one thread per request, all cores for a lone one), cpu-shared (one session over all cores) or configured.</param>
public sealed record ServingThreads(int IntraOpThreads, bool IdleSession, int IdleIntraOpThreads, int BatchWorkers, bool MicroBatching, int MaxBatchSize, string Profile)
{
    /// <summary>
    /// A model may take this fraction of the memory the process may use per session before the CPU profile drops its
    /// second session: a swap holds two versions, each with two sessions, and the rest of the process needs room too.
    /// </summary>
    public const int MemoryShareDivisor = 8;

    /// <summary>The largest micro-batch on a GPU unless configured: a GPU runs a bigger batch in about the time of a small one.</summary>
    public const int GpuMaxBatchSize = 16;

    /// <summary>The largest micro-batch on a CPU unless configured.</summary>
    /// <remarks>
    /// A CPU gains little from batching, and beyond a few images a batch's activations leave the caches, so the time
    /// per image rises again (per-batch-size measurements in docs/serving.md, "Measurements behind the defaults").
    /// </remarks>
    public const int CpuMaxBatchSize = 4;

    /// <summary>One line for people: "cpu-cores (intra-op 1, idle session ONNX Runtime's default, batch workers 2)", with the largest micro-batch when batching.</summary>
    public string Describe() =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{Profile} (intra-op {Threads(IntraOpThreads)}, idle session {(IdleSession ? Threads(IdleIntraOpThreads) : "none")}, batch workers {BatchWorkers}{(MicroBatching ? $", micro-batches up to {MaxBatchSize}" : string.Empty)})");

    /// <summary>Fills what <paramref name="options"/> leaves unset; a value set there is always kept.</summary>
    /// <param name="options">The serving options.</param>
    /// <param name="onGpu">The session runs on CUDA.</param>
    /// <param name="cores">Cores the process may use (<see cref="Environment.ProcessorCount"/>).</param>
    /// <param name="modelBytes">Size of the ONNX model, a proxy for a session's memory.</param>
    /// <param name="availableMemoryBytes">Memory the process may use (the GC's view, container limits included).</param>
    /// <remarks>
    /// On a GPU: one session with ONNX Runtime's threads, one batch worker, micro-batching on with batches of up to
    /// <see cref="GpuMaxBatchSize"/>; on a CPU, batches of up to <see cref="CpuMaxBatchSize"/>. On a CPU with several
    /// cores and memory for a second copy of the model: each request runs on one core without ONNX Runtime's
    /// per-operator barriers (which stall whenever decoding takes a core from one of their threads), batches run one
    /// per core, and a request that is the only one in progress runs on a second session with every core. On 2 cores
    /// this served every cell of <c>glcmmae bench serve</c> faster than one session over all cores, at lower p50
    /// latency at concurrency 1 (README, "Serving"). Otherwise the one shared session.
    /// </remarks>
    public static ServingThreads Resolve(ServingOptions options, bool onGpu, int cores, long modelBytes, long availableMemoryBytes)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(cores, 1);
        var configured = options.IntraOpThreads is not null || options.IdleIntraOpThreads is not null || options.BatchWorkers is not null;
        if (onGpu)
        {
            // The GPU runs the graph; CPU threads only feed it, and a lone request already has the whole device.
            return new(options.IntraOpThreads ?? 0, false, 0, options.BatchWorkers ?? 1, options.MicroBatching ?? true, options.MaxBatchSize ?? GpuMaxBatchSize, configured ? "configured" : "gpu");
        }

        var secondSessionFits = cores > 1 && modelBytes <= availableMemoryBytes / MemoryShareDivisor;
        var intra = options.IntraOpThreads ?? (secondSessionFits && options.IdleIntraOpThreads is not 0 ? 1 : 0);
        var idle = options.IdleIntraOpThreads is { } asked ? asked > 0 : intra > 0 && intra < cores && secondSessionFits;

        // Unset, the second session takes ONNX Runtime's default: one thread per physical core (on a machine with
        // hyperthreads, half the logical processors), as bare ONNX Runtime would run a lone request.
        var idleThreads = options.IdleIntraOpThreads ?? 0;
        var workers = options.BatchWorkers ?? (intra > 0 ? Math.Max(1, cores / intra) : 1);
        var profile = configured ? "configured" : intra == 1 && idle ? "cpu-cores" : "cpu-shared";
        return new(intra, idle, idleThreads, workers, options.MicroBatching ?? false, options.MaxBatchSize ?? CpuMaxBatchSize, profile);
    }

    private static string Threads(int count) => count == 0 ? "ONNX Runtime's default" : count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
