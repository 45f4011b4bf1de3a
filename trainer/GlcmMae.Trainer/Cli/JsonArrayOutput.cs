namespace GlcmMae.Trainer.Cli;

/// <summary>
/// One JSON array written as its elements arrive, for commands that run until stopped (<c>serve --json</c>): each
/// element is on its own line, so a reader can follow it, and the array is closed when the command ends (Ctrl+C too),
/// so standard output is still exactly one JSON document.
/// </summary>
internal sealed class JsonArrayOutput : IDisposable
{
    private readonly TextWriter _output;
    private readonly Lock _gate = new();
    private bool _any;
    private bool _closed;

    /// <summary>Opens the array on <paramref name="output"/>.</summary>
    public JsonArrayOutput(TextWriter output)
    {
        _output = output;
        _output.Write('[');
        _output.Flush();
    }

    /// <summary>Appends one element (already serialised JSON); callers may be concurrent.</summary>
    public void Write(string element)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _output.Write(_any ? ",\n" : "\n");
            _output.Write(element);
            _output.Flush();
            _any = true;
        }
    }

    /// <summary>Closes the array.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _output.WriteLine(_any ? "\n]" : "]");
            _output.Flush();
        }
    }
}
