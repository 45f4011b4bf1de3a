namespace GlcmMae.Trainer.Cli;

/// <summary>
/// Progress lines written at once, on the reporting thread, to a writer (standard error). Not <see cref="Progress{T}"/>,
/// which posts each report to the thread pool: a late one could then write after the command has returned and its
/// writer is closed.
/// </summary>
internal sealed class LineProgress(TextWriter writer, string prefix) : IProgress<string>
{
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public void Report(string value)
    {
        lock (_gate)
        {
            writer.WriteLine($"{prefix}: {value}");
        }
    }
}
