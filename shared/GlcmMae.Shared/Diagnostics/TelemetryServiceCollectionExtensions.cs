using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace GlcmMae.Shared.Diagnostics;

/// <summary>Registers OpenTelemetry traces and metrics for GlcmMae with exporters chosen by <see cref="TelemetryOptions"/>.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Adds tracing and metrics for the GlcmMae source; exporters stay off unless configured.</summary>
    public static IServiceCollection AddGlcmTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);

        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        var version = typeof(GlcmMaeTelemetry).Assembly.GetName().Version?.ToString();
        var azureMonitor = AzureMonitor(options, configuration);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: version))
            .WithTracing(tracing =>
            {
                tracing.AddSource(GlcmMaeTelemetry.SourceName);
                if (options.ConsoleExporter)
                {
                    tracing.AddConsoleExporter();
                }

                if (options.OtlpEndpoint is { } endpoint)
                {
                    tracing.AddOtlpExporter(otlp => otlp.Endpoint = endpoint);
                }

                if (azureMonitor is { } monitor)
                {
                    tracing.AddAzureMonitorTraceExporter(exporter =>
                    {
                        (exporter.ConnectionString, exporter.Credential) = monitor;

                        // The exporter rate-limits traces unless told otherwise; each scan is to be one trace, so the ratio rules.
                        exporter.TracesPerSecond = null;
                        exporter.SamplingRatio = options.TraceSamplingRatio;
                    });
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(GlcmMaeTelemetry.SourceName);
                if (options.ConsoleExporter)
                {
                    metrics.AddConsoleExporter();
                }

                if (options.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter(otlp => otlp.Endpoint = endpoint);
                }

                if (azureMonitor is { } monitor)
                {
                    metrics.AddAzureMonitorMetricExporter(exporter => (exporter.ConnectionString, exporter.Credential) = monitor);
                }
            });
        return services;
    }

    /// <summary>
    /// The Azure Monitor exporter's connection string and credential, or null when no connection string is configured.
    /// With local authentication disabled on Application Insights, ingestion needs an Entra token of an identity that
    /// holds Monitoring Metrics Publisher on the resource
    /// (https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication?tabs=net).
    /// </summary>
    internal static (string ConnectionString, Azure.Core.TokenCredential? Credential)? AzureMonitor(TelemetryOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = options.AzureMonitorConnectionString ?? configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }

        if (options.AzureMonitorAuthentication == AzureMonitorAuthentication.ConnectionString)
        {
            return (connectionString, null);
        }

        var clientId = options.ManagedIdentityClientId ?? configuration["AZURE_CLIENT_ID"];
        Azure.Core.TokenCredential credential = string.IsNullOrWhiteSpace(clientId)
            ? new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.SystemAssigned)
            : new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(clientId));
        return (connectionString, credential);
    }
}
