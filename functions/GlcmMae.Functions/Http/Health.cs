using System.Net;
using GlcmMae.Shared.Inference;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace GlcmMae.Functions.Http;

/// <summary>GET /api/health: runtime versions and which execution providers really work on this instance.</summary>
internal sealed class Health
{
    [Function(nameof(Health))]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var report = HealthReport.Create(ExecutionProviderProbe.RuntimeVersion, ExecutionProviderProbe.Probe());
        var response = request.CreateResponse(report.Ready ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable);
        await response.WriteAsJsonAsync(report, cancellationToken).ConfigureAwait(false);
        return response;
    }
}
