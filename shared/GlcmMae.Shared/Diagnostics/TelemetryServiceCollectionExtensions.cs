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
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName);

        var version = typeof(GlcmMaeTelemetry).Assembly.GetName().Version?.ToString();
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
            });
        return services;
    }
}
