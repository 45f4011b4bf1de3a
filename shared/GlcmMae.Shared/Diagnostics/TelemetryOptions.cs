namespace GlcmMae.Shared.Diagnostics;

/// <summary>Where traces and metrics go; everything is off unless asked for.</summary>
public sealed class TelemetryOptions
{
    /// <summary>Configuration section these options bind to.</summary>
    public const string SectionName = "Telemetry";

    /// <summary>Writes spans and metrics to the console (for local debugging).</summary>
    public bool ConsoleExporter { get; set; }

    /// <summary>OTLP endpoint (for example http://localhost:4317); null disables the OTLP exporter.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>
    /// Application Insights connection string: traces and metrics go to Azure Monitor when it is set. Unset, the
    /// APPLICATIONINSIGHTS_CONNECTION_STRING setting that the Bicep deployment gives every app is used.
    /// </summary>
    public string? AzureMonitorConnectionString { get; set; }

    /// <summary>How the exporter authenticates; the deployment disables local authentication, so the default is the managed identity.</summary>
    public AzureMonitorAuthentication AzureMonitorAuthentication { get; set; } = AzureMonitorAuthentication.ManagedIdentity;

    /// <summary>Fraction of scans whose traces go to Azure Monitor (1: every scan is one trace).</summary>
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
    public float TraceSamplingRatio { get; set; } = 1.0F;

    /// <summary>Client id of the user-assigned managed identity to authenticate with; unset, AZURE_CLIENT_ID (which the deployment sets).</summary>
    public string? ManagedIdentityClientId { get; set; }
}
