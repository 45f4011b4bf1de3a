using GlcmMae.Shared.Inference;

namespace GlcmMae.Functions.Http;

/// <summary>The body of GET /api/health/details: the model serving, the provider it actually runs on, and readiness.</summary>
internal sealed record HealthReport(
    bool Ready,
    string Reason,
    string OnnxRuntimeVersion,
    string? ModelName,
    string? ModelVersion,
    string? ExecutionProvider,
    string? CudaFallbackReason,
    bool MicroBatching,
    ServingThreads? Threads,
    IReadOnlyList<ExecutionProviderStatus> ExecutionProviders)
{
    public static HealthReport Create(ServingModel? model, string? lastError, string onnxRuntimeVersion, IReadOnlyList<ExecutionProviderStatus> providers) =>
        model is null
            ? new(false, lastError ?? "no model loaded yet: publish and promote one (glcmmae publish)", onnxRuntimeVersion, null, null, null, null, false, null, providers)
            : new(
                true,
                model.Engine.FallbackReason is { } fallback ? $"serving on CPU because CUDA is unavailable: {fallback}" : "serving",
                onnxRuntimeVersion,
                model.Manifest.Name,
                model.Manifest.Version,
                model.Engine.ExecutionProvider,
                model.Engine.FallbackReason,
                model.MicroBatching,
                model.Engine.Threads,
                providers);
}
