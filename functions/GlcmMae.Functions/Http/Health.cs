using System.Net;
using GlcmMae.Shared.Inference;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace GlcmMae.Functions.Http;

/// <summary>
/// GET /api/health, anonymous, for probes and load balancers: ready or not (200 or 503) and nothing else, since runtime,
/// model and provider details tell an outsider what to attack. The details are at <see cref="HealthDetails"/>.
/// </summary>
internal sealed class Health(ModelHost models)
{
    [Function(nameof(Health))]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var status = HealthStatus.Of(models.Current);
        var response = request.CreateResponse(status.Ready ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable);
        await response.WriteAsJsonAsync(status, cancellationToken).ConfigureAwait(false);
        return response;
    }
}
