using GlcmMae.Functions.Http;
using GlcmMae.Shared.Inference;
using Microsoft.Azure.Functions.Worker;

namespace GlcmMae.Functions.Tests.Http;

public sealed class HealthReportTests
{
    [Fact]
    public void Instance_without_a_model_reports_not_ready_and_says_why()
    {
        var report = HealthReport.Create(null, null, ExecutionProviderProbe.RuntimeVersion, ExecutionProviderProbe.Probe());

        Assert.False(report.Ready);
        Assert.Contains("no model", report.Reason, StringComparison.Ordinal);
        Assert.Contains(report.ExecutionProviders, p => p.Provider == ExecutionProvider.Cpu && p.IsUsable);
    }

    [Fact]
    public async Task A_serving_instance_reports_its_model_provider_and_the_threads_it_resolved()
    {
        await using var fixture = await ServingFixture.CreateAsync();
        await fixture.Host.RefreshAsync(CancellationToken.None);

        var report = HealthReport.Create(fixture.Host.Current, null, ExecutionProviderProbe.RuntimeVersion, ExecutionProviderProbe.Probe());

        Assert.True(report.Ready);
        Assert.Equal(("demo", "v1", "CPUExecutionProvider"), (report.ModelName, report.ModelVersion, report.ExecutionProvider));
        Assert.False(report.MicroBatching);
        var expected = ServingThreads.Resolve(fixture.Options.Value, false, Environment.ProcessorCount, (await fixture.Registry.LoadAsync("demo", "v1", CancellationToken.None)).Onnx.Length, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        Assert.Equal(expected, report.Threads);
        Assert.Equal(report.Threads!.IdleSession, fixture.Host.Current!.Engine.HasIdleSession);
    }

    [Fact]
    public async Task Anonymous_health_says_only_whether_the_instance_is_ready()
    {
        await using var fixture = await ServingFixture.CreateAsync();
        await fixture.Host.RefreshAsync(CancellationToken.None);

        var ready = System.Text.Json.JsonSerializer.SerializeToElement(HealthStatus.Of(fixture.Host.Current), System.Text.Json.JsonSerializerOptions.Web);
        var notReady = System.Text.Json.JsonSerializer.SerializeToElement(HealthStatus.Of(null), System.Text.Json.JsonSerializerOptions.Web);

        Assert.Equal(["ready"], ready.EnumerateObject().Select(p => p.Name));
        Assert.True(ready.GetProperty("ready").GetBoolean());
        Assert.False(notReady.GetProperty("ready").GetBoolean());
    }

    [Theory]
    [InlineData(typeof(Health), "health", AuthorizationLevel.Anonymous)]
    [InlineData(typeof(HealthDetails), "health/details", AuthorizationLevel.Function)]
    [InlineData(typeof(Classify), "classify", AuthorizationLevel.Function)]
    public void Only_bare_readiness_is_anonymous(Type function, string route, AuthorizationLevel level)
    {
        var trigger = function.GetMethod("RunAsync")!.GetParameters()
            .Select(p => p.GetCustomAttributes(typeof(HttpTriggerAttribute), false).OfType<HttpTriggerAttribute>().SingleOrDefault())
            .Single(a => a is not null)!;

        Assert.Equal(route, trigger.Route);
        Assert.Equal(level, trigger.AuthLevel);
    }
}
