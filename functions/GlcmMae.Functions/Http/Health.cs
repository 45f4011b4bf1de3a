using System.Net;
using GlcmMae.Shared.Inference;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace GlcmMae.Functions.Http;

/// <summary>GET /api/health: the model serving, the execution provider in use (a CPU fallback is reported), readiness.</summary>
internal sealed class Health(ModelHost models)
{
    [Function(nameof(Health))]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var report = HealthReport.Create(models.Current, models.LastError, ExecutionProviderProbe.RuntimeVersion, ExecutionProviderProbe.Probe());
        var response = request.CreateResponse(report.Ready ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable);
        await response.WriteAsJsonAsync(report, cancellationToken).ConfigureAwait(false);
        return response;
    }
}
