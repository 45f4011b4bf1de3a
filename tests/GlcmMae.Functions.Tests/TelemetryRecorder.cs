using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using GlcmMae.Shared.Diagnostics;
using Microsoft.Extensions.Logging;

namespace GlcmMae.Functions.Tests;

/// <summary>Everything the process says about its work while it lives: log lines with their structured values, metric tags, trace names and tags; for searching for patient data.</summary>
internal sealed class TelemetryRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _traces;

    public TelemetryRecorder()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == GlcmMaeTelemetry.SourceName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();
        _traces = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GlcmMaeTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _lines.Enqueue($"trace {activity.DisplayName} {string.Join(',', activity.TagObjects.Select(t => $"{t.Key}={t.Value}"))} {activity.StatusDescription}"),
        };
        ActivitySource.AddActivityListener(_traces);
    }

    /// <summary>All of it, one line each.</summary>
    public string Text() => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(_lines, categoryName);

    public void Dispose()
    {
        _meters.Dispose();
        _traces.Dispose();
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = new System.Text.StringBuilder($"metric {instrument.Name} {value}");
        foreach (var tag in tags)
        {
            text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
        }

        _lines.Enqueue(text.ToString());
    }

    private sealed class Logger(ConcurrentQueue<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(',', pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lines.Enqueue($"log {category} {logLevel} {formatter(state, exception)} {values} {exception}");
        }
    }
}
