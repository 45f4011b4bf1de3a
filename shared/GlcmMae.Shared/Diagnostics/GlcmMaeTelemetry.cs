using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GlcmMae.Shared.Diagnostics;

/// <summary>The activity source and meter every GlcmMae component reports through.</summary>
public static class GlcmMaeTelemetry
{
    /// <summary>Name shared by the activity source and the meter; register it with OpenTelemetry.</summary>
    public const string SourceName = "GlcmMae";

    /// <summary>Traces for decode, preprocessing, inference and training steps.</summary>
    public static readonly ActivitySource ActivitySource = new(SourceName, typeof(GlcmMaeTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Counters and histograms (scans classified, errors by code, latencies).</summary>
    public static readonly Meter Meter = new(SourceName, typeof(GlcmMaeTelemetry).Assembly.GetName().Version?.ToString());
}
