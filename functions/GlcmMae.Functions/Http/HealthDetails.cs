using System.Net;
using GlcmMae.Shared.Inference;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace GlcmMae.Functions.Http;

/// <summary>
/// GET /api/health/details, behind a function key: the model serving, the execution provider in use (a CPU fallback is
/// reported with its cause), the threads and batching resolved, and readiness, for operators.
/// </summary>
internal sealed class HealthDetails(ModelHost models)
{
    [Function(nameof(HealthDetails))]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "health/details")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var report = HealthReport.Create(models.Current, models.LastError, ExecutionProviderProbe.RuntimeVersion, ExecutionProviderProbe.Probe());
        var response = request.CreateResponse(report.Ready ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable);
        await response.WriteAsJsonAsync(report, cancellationToken).ConfigureAwait(false);
        return response;
    }
}
