using GlcmMae.Shared.Inference;

namespace GlcmMae.Functions.Http;

/// <summary>The body of GET /api/health.</summary>
internal sealed record HealthReport(bool Ready, string Reason, string OnnxRuntimeVersion, IReadOnlyList<ExecutionProviderStatus> ExecutionProviders)
{
    public static HealthReport Create(string onnxRuntimeVersion, IReadOnlyList<ExecutionProviderStatus> providers) =>
        // No model registry is wired into the functions yet, so the instance cannot classify: say so.
        new(false, "no model loaded: the model registry is not configured", onnxRuntimeVersion, providers);
}
