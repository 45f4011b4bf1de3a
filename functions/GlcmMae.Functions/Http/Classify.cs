using GlcmMae.Shared.Contracts;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace GlcmMae.Functions.Http;

/// <summary>POST /api/classify: the request body is a scan (DICOM, PNG or JPEG); the response is the result or the typed error.</summary>
internal sealed class Classify(ClassifyHandler handler)
{
    [Function(nameof(Classify))]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "classify")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var length = request.Headers.TryGetValues("Content-Length", out var values) && long.TryParse(values.FirstOrDefault(), out var parsed) ? parsed : (long?)null;
        var name = request.Query["name"];
        var (status, body) = await handler.HandleAsync(request.Body, name, length, cancellationToken).ConfigureAwait(false);
        var response = request.CreateResponse(status);
        await response.WriteAsJsonAsync(body, new Azure.Core.Serialization.JsonObjectSerializer(ContractJson.Options), cancellationToken).ConfigureAwait(false);
        return response;
    }
}
