using System.ComponentModel.DataAnnotations;

namespace GlcmMae.Shared.Inference;

/// <summary>How scans are served: which model, execution provider, micro-batching and limits (section "Inference"; the model's name comes from "Models:Name").</summary>
public sealed record ServingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Inference";

    /// <summary>Model name in the registry.</summary>
    [Required]
    public string ModelName { get; set; } = "glcmmae-classifier";

    /// <summary>Serve this published version instead of the one <c>current.json</c> names (the publish gate's evaluation of a candidate, shadow runs); null follows <c>current.json</c>.</summary>
    public string? PinnedVersion { get; set; }

    /// <summary>How strictly a scan is held to what the model was trained on (its manifest's scope); out of scope is an <c>OutOfScope</c> error, never a label.</summary>
    public ScopeCheck Scope { get; set; } = ScopeCheck.Full;

    /// <summary>
    /// Refuse scans the model's abstention rule finds unlike its training data (<c>Abstained</c>). False scores them but
    /// labels them anyway: for measuring a model on every scan of a test split (the publish gate), never for serving.
    /// </summary>
    public bool Abstain { get; set; } = true;

    /// <summary>
    /// Compute an occlusion map for every labelled scan (tens to hundreds of extra inferences per scan: on for
    /// <c>glcmmae classify --explain</c> and GPU deployments that want heatmaps, off by default).
    /// </summary>
    public bool Explain { get; set; }

    /// <summary>Auto (CUDA when it works, else CPU with a warning), Cuda, or Cpu.</summary>
    [EnumDataType(typeof(ExecutionProviderChoice))]
    public ExecutionProviderChoice ExecutionProvider { get; set; } = ExecutionProviderChoice.Auto;

    /// <summary>ONNX Runtime intra-op threads of the session that serves load; unset = automatic (<see cref="ServingThreads.Resolve"/>), 0 = ONNX Runtime's default (one per physical core).</summary>
    [Range(0, 256)]
    public int? IntraOpThreads { get; set; }

    /// <summary>On a CPU: intra-op threads of a second session that runs a request when it is the only one in progress; unset = automatic (a session with ONNX Runtime's default threads, one per physical core, when it fits), 0 = no second session.</summary>
    /// <remarks>
    /// With one intra-op thread per request (<see cref="IntraOpThreads"/> = 1, one batch worker per core), every core
    /// runs its own request under load, while a lone request would otherwise get one core. The second session's
    /// threads spin between operators like ONNX Runtime's default (it only runs when no other request needs the cores).
    /// Costs a second copy of the model in memory; automatic settings add it only when the model takes at most
    /// 1/<see cref="ServingThreads.MemoryShareDivisor"/> of the memory the process may use.
    /// </remarks>
    [Range(0, 256)]
    public int? IdleIntraOpThreads { get; set; }

    /// <summary>Let ONNX Runtime's idle intra-op threads busy-wait for the next run (its own default is on).</summary>
    /// <remarks>
    /// Off here: between runs the serving pipeline decodes and preprocesses scans on the same cores, and a spinning
    /// thread takes one of them (the measurements are in docs/serving.md, "Measurements behind the defaults").
    /// </remarks>
    public bool IntraOpSpinning { get; set; }

    /// <summary>Queue concurrent requests into batches; null = on for CUDA, off for CPU.</summary>
    public bool? MicroBatching { get; set; }

    /// <summary>Micro-batches run at once (each an ONNX Runtime run); unset = automatic: cores / <see cref="IntraOpThreads"/> on a CPU with a set thread count, else 1.</summary>
    [Range(1, 64)]
    public int? BatchWorkers { get; set; }

    /// <summary>Largest micro-batch; unset = automatic: <see cref="ServingThreads.GpuMaxBatchSize"/> on a GPU, <see cref="ServingThreads.CpuMaxBatchSize"/> on a CPU.</summary>
    [Range(1, 1024)]
    public int? MaxBatchSize { get; set; }

    /// <summary>Longest wait for a batch to fill, in milliseconds; 0 (the default) batches greedily: whatever queued up while the previous batch ran.</summary>
    [Range(0, 1000)]
    public double MaxBatchDelayMilliseconds { get; set; }

    /// <summary>Largest scan accepted, in bytes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxScanBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How often current.json is checked for a new version, in seconds.</summary>
    [Range(1, 86400)]
    public double RefreshSeconds { get; set; } = 30;
}
