using GlcmMae.Functions.Http;
using GlcmMae.Shared.Inference;

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
}
