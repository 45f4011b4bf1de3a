using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GlcmMae.Shared.Tests.Pipeline;

/// <summary>Keeps every formatted log line, to check what logs would contain.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception?.Message}");
}
