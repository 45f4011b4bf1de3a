using GlcmMae.Shared.Diagnostics;
using GlcmMae.Shared.Models;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GlcmMae.Shared.Inference;

/// <summary>An ONNX Runtime session for one published classifier: provider choice with a logged CPU fallback, warm-up, batched runs.</summary>
public sealed partial class OnnxClassifierEngine : IDisposable
{
    private readonly InferenceSession _session;
    private readonly InferenceSession? _idleSession;
    private long _idleRuns;
    private readonly int[] _imageShape;
    private readonly string _output;

    private OnnxClassifierEngine(ModelManifest manifest, InferenceSession session, InferenceSession? idleSession, string provider, string? fallbackReason, ServingThreads threads)
    {
        Manifest = manifest;
        _session = session;
        _idleSession = idleSession;
        ExecutionProvider = provider;
        FallbackReason = fallbackReason;
        Threads = threads;
        _imageShape = [.. manifest.InputShape.Skip(1).Select(d => (int)d)];
        ImageValues = _imageShape.Aggregate(1, (a, b) => a * b);
        // The logits when the graph has them (the energy score and temperature scaling need them); else its probabilities.
        ScoresAreLogits = manifest.OutputNames.Contains(LogitsOutput, StringComparer.Ordinal);
        _output = ScoresAreLogits ? LogitsOutput : manifest.OutputNames.Count > 1 ? manifest.OutputNames[1] : manifest.OutputNames[0];
    }

    /// <summary>The output name of a graph's class logits.</summary>
    public const string LogitsOutput = "logits";

    /// <summary>True when <see cref="Run"/> returns logits; false for a graph with probabilities only.</summary>
    public bool ScoresAreLogits { get; }

    /// <summary>The model's manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The provider actually in use: CUDAExecutionProvider or CPUExecutionProvider.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Why CUDA was not used although it was wanted; null when nothing fell back.</summary>
    public string? FallbackReason { get; }

    /// <summary>The threads, batch workers and micro-batching this engine was resolved to (the provider decides the automatic ones).</summary>
    public ServingThreads Threads { get; }

    /// <summary>True when running on a GPU.</summary>
    public bool OnGpu => ExecutionProvider == CudaProvider;

    /// <summary>Floats per image (C x H x W).</summary>
    public int ImageValues { get; }

    /// <summary>Number of classes.</summary>
    public int Classes => Manifest.Labels.Count;

    /// <summary>True when a second session serves runs that start while the server is otherwise idle (<see cref="ServingOptions.IdleIntraOpThreads"/>).</summary>
    public bool HasIdleSession => _idleSession is not null;

    /// <summary>Runs that went to the idle session so far.</summary>
    public long IdleRuns => Interlocked.Read(ref _idleRuns);

    private const string CudaProvider = "CUDAExecutionProvider";
    private const string CpuProvider = "CPUExecutionProvider";

    /// <summary>Creates the sessions (CUDA when asked or available, else CPU) and warms them up with one batch.</summary>
    public static OnnxClassifierEngine Create(LoadedModel model, ServingOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        string? fallback = null;
        if (options.ExecutionProvider is ExecutionProviderChoice.Auto or ExecutionProviderChoice.Cuda)
        {
            try
            {
                return Build(model, options, cuda: true, fallback: null);
            }
            catch (Exception exception) when (exception is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                // CUDA can fail at each step: appending the provider loads its libraries, creating the session opens the
                // device, the warm-up loads cuDNN and runs the kernels. Any of them leaves the model on the CPU, said so,
                // rather than with no model at all.
                fallback = CudaProviderDiagnosis.Describe(exception);
                LogCudaFallback(logger, model.Manifest.Version, fallback);
            }
        }

        return Build(model, options, cuda: false, fallback);
    }

    private static OnnxClassifierEngine Build(LoadedModel model, ServingOptions options, bool cuda, string? fallback)
    {
        using var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (cuda)
        {
            sessionOptions.AppendExecutionProvider_CUDA(0);
        }

        // Threads depend on where the graph runs, so they are chosen once the provider is known.
        var threads = ServingThreads.Resolve(options, cuda, Environment.ProcessorCount, model.Onnx.LongLength, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        ConfigureThreads(sessionOptions, threads.IntraOpThreads, options.IntraOpSpinning);
        var session = new InferenceSession(model.Onnx, sessionOptions);
        InferenceSession? idleSession = null;
        try
        {
            // A GPU serves a lone request with all of itself already; the second session is for CPU thread counts.
            if (threads.IdleSession && !cuda)
            {
                using var idleOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
                ConfigureThreads(idleOptions, threads.IdleIntraOpThreads, spinning: true);
                idleSession = new InferenceSession(model.Onnx, idleOptions);
            }
        }
        catch
        {
            session.Dispose();
            throw;
        }

        var engine = new OnnxClassifierEngine(model.Manifest, session, idleSession, cuda ? CudaProvider : CpuProvider, fallback, threads);
        try
        {
            // Straight to the sessions: warm-up runs are not served requests and stay out of the batch-size metric.
            engine.RunOn(session, new float[engine.ImageValues], 1);
            if (idleSession is not null)
            {
                engine.RunOn(idleSession, new float[engine.ImageValues], 1);
            }
        }
        catch
        {
            // A model that cannot run its warm-up batch is not served; its sessions go now, not at finalisation.
            engine.Dispose();
            throw;
        }

        return engine;
    }

    private static void ConfigureThreads(SessionOptions sessionOptions, int intraOpThreads, bool spinning)
    {
        if (intraOpThreads > 0)
        {
            sessionOptions.IntraOpNumThreads = intraOpThreads;
        }

        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
    }

    /// <summary>Class scores (count x classes, row-major: logits, or probabilities per <see cref="ScoresAreLogits"/>) for <paramref name="count"/> images laid out one after another.</summary>
    /// <param name="images">The images: at least <paramref name="count"/> x <see cref="ImageValues"/> floats (any after them are ignored).</param>
    /// <param name="count">How many.</param>
    /// <param name="whileIdle">No other request is in progress: use the idle session when there is one.</param>
    public float[] Run(float[] images, int count, bool whileIdle = false)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (whileIdle && _idleSession is not null)
        {
            Interlocked.Increment(ref _idleRuns);
            ServingMetrics.BatchSize.Record(count, new KeyValuePair<string, object?>("session", "idle"));
            return RunOn(_idleSession, images, count);
        }

        ServingMetrics.BatchSize.Record(count, new KeyValuePair<string, object?>("session", "load"));
        return RunOn(_session, images, count);
    }

    private float[] RunOn(InferenceSession session, float[] images, int count)
    {
        var tensor = new DenseTensor<float>(images.AsMemory(0, count * ImageValues), [count, .. _imageShape]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(Manifest.InputName, tensor)], [_output]);
        return results[0].AsEnumerable<float>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _session.Dispose();
        _idleSession?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA execution provider unavailable for model {Version}; serving on CPU: {Reason}")]
    private static partial void LogCudaFallback(ILogger logger, string version, string reason);
}
