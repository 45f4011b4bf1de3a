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
}
