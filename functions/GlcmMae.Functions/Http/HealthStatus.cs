using GlcmMae.Shared.Inference;

namespace GlcmMae.Functions.Http;

/// <summary>The anonymous body of GET /api/health: readiness only.</summary>
internal sealed record HealthStatus(bool Ready)
{
    public static HealthStatus Of(ServingModel? model) => new(model is not null);
}
