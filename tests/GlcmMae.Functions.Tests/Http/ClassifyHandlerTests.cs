using System.Net;
using GlcmMae.Functions.Http;
using GlcmMae.Shared.Contracts;

namespace GlcmMae.Functions.Tests.Http;

public sealed class ClassifyHandlerTests
{
    [Fact]
    public async Task A_scan_body_is_classified_bad_input_is_400_and_oversize_is_413()
    {
        await using var serving = await ServingFixture.CreateAsync(maxScanBytes: 4096);
        var handler = new ClassifyHandler(serving.Pipeline, serving.Options);

        var png = ServingFixture.Png(200);
        var (ok, result) = await handler.HandleAsync(new MemoryStream(png), "x.png", png.Length, CancellationToken.None);
        var (bad, error) = await handler.HandleAsync(new MemoryStream("hello"u8.ToArray()), null, 5, CancellationToken.None);
        var (large, _) = await handler.HandleAsync(new MemoryStream(new byte[5000]), null, null, CancellationToken.None);
        var (declared, _) = await handler.HandleAsync(new MemoryStream([]), null, 1 << 30, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal("normal", Assert.IsType<ClassificationResult>(result).Prediction.Label);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("UnsupportedFormat", Assert.IsType<ScanError>(error).Code);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared);
    }
}
