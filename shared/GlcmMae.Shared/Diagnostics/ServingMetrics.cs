using System.Diagnostics.Metrics;

namespace GlcmMae.Shared.Diagnostics;

/// <summary>The serving pipeline's instruments: scans classified and rejected, latency overall and per stage, batch sizes, and whether inference fell back to the CPU.</summary>
public static class ServingMetrics
{
    /// <summary>Scans classified, tagged with model version and execution provider.</summary>
    public static readonly Counter<long> Classified = GlcmMaeTelemetry.Meter.CreateCounter<long>("glcmmae.scans.classified", description: "Scans classified.");

    /// <summary>Scans rejected, tagged with the error code.</summary>
    public static readonly Counter<long> Rejected = GlcmMaeTelemetry.Meter.CreateCounter<long>("glcmmae.scans.rejected", description: "Scans that could not be classified, by error code.");

    /// <summary>End-to-end pipeline time per scan.</summary>
    public static readonly Histogram<double> Duration = GlcmMaeTelemetry.Meter.CreateHistogram<double>("glcmmae.scans.duration", unit: "ms", description: "Read to result, per scan.");

    /// <summary>Time per pipeline stage and scan, tagged with the stage: read, decode, preprocess, queue (waiting for a micro-batch) or inference.</summary>
    public static readonly Histogram<double> StageDuration = GlcmMaeTelemetry.Meter.CreateHistogram<double>("glcmmae.scans.stage.duration", unit: "ms", description: "Time per pipeline stage and scan.");

    /// <summary>Images per ONNX Runtime run, tagged with the session: load, or idle (a lone request on every core).</summary>
    public static readonly Histogram<int> BatchSize = GlcmMaeTelemetry.Meter.CreateHistogram<int>("glcmmae.inference.batch_size", unit: "{image}", description: "Images per inference run (micro-batch size).");

    private static int _cpuFallback;

    static ServingMetrics()
    {
        // 1 while the serving model runs on the CPU although CUDA was wanted: alert on it, it is never silent.
        GlcmMaeTelemetry.Meter.CreateObservableGauge("glcmmae.inference.cpu_fallback", () => Volatile.Read(ref _cpuFallback), description: "1 when CUDA was wanted but inference runs on the CPU.");
    }

    /// <summary>Records the execution provider situation of the model now serving.</summary>
    public static void SetCpuFallback(bool fellBack) => Volatile.Write(ref _cpuFallback, fellBack ? 1 : 0);

    /// <summary>The current fallback flag (for health checks and tests).</summary>
    public static bool CpuFallback => Volatile.Read(ref _cpuFallback) == 1;
}
