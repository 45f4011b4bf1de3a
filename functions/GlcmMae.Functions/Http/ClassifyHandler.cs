using System.Net;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Pipeline;
using Microsoft.Extensions.Options;

namespace GlcmMae.Functions.Http;

/// <summary>The logic of POST /api/classify, apart from the HTTP types: body in, status and result or error out.</summary>
internal sealed class ClassifyHandler(ScanPipeline pipeline, IOptions<ServingOptions> options)
{
    /// <summary>Classifies the body; 200 with the result, 400 with the typed error, 413 when the body is over the limit.</summary>
    public async Task<(HttpStatusCode Status, object Body)> HandleAsync(Stream body, string? name, long? length, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxScanBytes;
        if (length > limit)
        {
            return (HttpStatusCode.RequestEntityTooLarge, new { code = "ImageTooLarge", message = $"The body is {length} bytes; the limit is {limit}." });
        }

        byte[] bytes;
        try
        {
            bytes = await StreamReading.ReadAllAsync(body, limit, "request body", cancellationToken).ConfigureAwait(false);
        }
        catch (ImageTooLargeException exception)
        {
            return (HttpStatusCode.RequestEntityTooLarge, new { code = exception.ErrorCode, message = exception.Message });
        }

        var outcome = await pipeline.ProcessAsync(ScanInput.FromBytes("http", name ?? "request", bytes), cancellationToken).ConfigureAwait(false);
        return outcome.Result is { } result ? (HttpStatusCode.OK, result) : (HttpStatusCode.BadRequest, outcome.Error!);
    }
}
