using System.Text.Json.Nodes;
using GlcmMae.Testing;

namespace GlcmMae.Infrastructure.Tests;

/// <summary>What an operator sees in Azure: resource logs in Log Analytics, and an alert for each way scans get lost or stall.</summary>
public sealed class ObservabilityPolicyTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    [Fact]
    public void Storage_blob_and_queue_service_bus_and_registry_logs_go_to_log_analytics()
    {
        var settings = compiled.OfType("Microsoft.Insights/diagnosticSettings").ToArray();

        var scopes = settings.Select(s => Text(s.Resource["scope"])!).ToArray();
        Assert.Contains(scopes, s => s.Contains("Microsoft.Storage/storageAccounts/blobServices", StringComparison.Ordinal));
        Assert.Contains(scopes, s => s.Contains("Microsoft.Storage/storageAccounts/queueServices", StringComparison.Ordinal));
        Assert.Contains(scopes, s => s.Contains("Microsoft.ServiceBus/namespaces'", StringComparison.Ordinal));
        Assert.Contains(scopes, s => s.Contains("Microsoft.ContainerRegistry/registries'", StringComparison.Ordinal));
        Assert.All(settings, s =>
        {
            Assert.Contains("Microsoft.OperationalInsights/workspaces", Text(s.Resource["properties"]!["workspaceId"])!, StringComparison.Ordinal);
            Assert.NotNull(s.Resource["properties"]!["logs"]);
        });
    }

    [Fact]
    public void Every_way_a_scan_is_lost_or_stalls_has_an_alert_that_notifies_the_operators()
    {
        var (rules, template) = compiled.OfType("Microsoft.Insights/scheduledQueryRules").Single();
        var alerts = template["variables"]!["alerts"]!.AsArray().Select(a => a!.AsObject()).ToDictionary(a => Text(a["name"])!, a => Text(a["query"])!);

        Assert.Equal(["function-failures", "gpu-lost", "poison-queue", "retrain-failed"], alerts.Keys.Order());
        Assert.Equal("[length(variables('alerts'))]", Text(rules["copy"]!["count"]));
        Assert.Contains("parameters('poisonQueueName')", alerts["poison-queue"], StringComparison.Ordinal);
        Assert.Contains("parameters('trainerJobName')", alerts["retrain-failed"], StringComparison.Ordinal);
        Assert.Contains("Microsoft.Insights/actionGroups", rules["properties"]!["actions"]!["actionGroups"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        // The GPU alert reads the metric the serving code really emits.
        var metric = "glcmmae.inference.cpu_fallback";
        Assert.Contains(metric, alerts["gpu-lost"], StringComparison.Ordinal);
        Assert.Contains(Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "shared"), "*.cs", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains($"\"{metric}\"", StringComparison.Ordinal));

        var (errorRate, _) = compiled.OfType("Microsoft.Insights/metricAlerts").Single();
        var criterion = errorRate["properties"]!["criteria"]!["allOf"]![0]!;
        Assert.Equal(("IncomingMessages", "scan-errors"), (Text(criterion["metricName"]), Text(criterion["dimensions"]![0]!["values"]![0])));
    }
}
