using System.IO.Compression;
using System.Net;
using GlcmMae.Rehearsal.Networking;
using GlcmMae.Shared.Diagnostics;
using GlcmMae.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace GlcmMae.Shared.Tests.Diagnostics;

/// <summary>Traces reach Azure Monitor when a connection string is configured, authenticated as the deployment requires.</summary>
public sealed class AzureMonitorExportTests
{
    [Fact]
    public async Task Spans_are_posted_to_the_ingestion_endpoint_of_the_connection_string()
    {
        var port = LoopbackPorts.GetFree();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=http://127.0.0.1:{port}/",
            ["Telemetry:AzureMonitorAuthentication"] = "ConnectionString",
        }).Build();
        await using var services = new ServiceCollection().AddGlcmTelemetry(configuration, "glcmmae-test").BuildServiceProvider();
        var tracing = services.GetRequiredService<TracerProvider>();
        var received = Receive(listener);

        using (var activity = GlcmMaeTelemetry.ActivitySource.StartActivity("scan.classify"))
        {
            activity?.SetTag("glcmmae.outcome", "benign");
        }

        Assert.True(tracing.ForceFlush(10_000));
        var (path, body) = await received.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("track", path, StringComparison.Ordinal);
        Assert.Contains("scan.classify", body, StringComparison.Ordinal);
        Assert.Contains("00000000-0000-0000-0000-000000000001", body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_managed_identity_named_by_the_deployment_authenticates_by_default_and_nothing_exports_without_a_connection_string()
    {
        var deployed = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://example.invalid/",
            ["AZURE_CLIENT_ID"] = "11111111-2222-3333-4444-555555555555",
        }).Build();

        var (connectionString, credential) = TelemetryServiceCollectionExtensions.AzureMonitor(new TelemetryOptions(), deployed)!.Value;

        Assert.StartsWith("InstrumentationKey=", connectionString, StringComparison.Ordinal);
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(credential);
        Assert.Null(TelemetryServiceCollectionExtensions.AzureMonitor(new TelemetryOptions(), new ConfigurationBuilder().Build()));
    }

    [Fact]
    public async Task A_sampling_ratio_outside_zero_to_one_is_refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Telemetry:TraceSamplingRatio"] = "2" }).Build();
        // As in a host, the configuration is a service the options bind from.
        await using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddGlcmTelemetry(configuration, "glcmmae-test").BuildServiceProvider();

        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value);
    }

    private static async Task<(string Path, string Body)> Receive(HttpListener listener)
    {
        while (true)
        {
            var context = await listener.GetContextAsync();
            using var buffer = new MemoryStream();
            var input = context.Request.Headers["Content-Encoding"] == "gzip" ? new GZipStream(context.Request.InputStream, CompressionMode.Decompress) : context.Request.InputStream;
            await input.CopyToAsync(buffer);
            context.Response.StatusCode = 200;
            await context.Response.OutputStream.WriteAsync("{\"itemsReceived\":1,\"itemsAccepted\":1,\"errors\":[]}"u8.ToArray());
            context.Response.Close();
            var body = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
            if (body.Contains("scan.classify", StringComparison.Ordinal))
            {
                return (context.Request.Url!.AbsolutePath, body);
            }
        }
    }
}
