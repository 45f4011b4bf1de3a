namespace GlcmMae.Shared.Deidentification;

/// <summary>What de-identification changed across a run, by attribute and action: counts only, never a value or a file name.</summary>
public sealed class DeidentificationSummary
{
    private readonly SortedDictionary<string, int> _changes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _refusals = new(StringComparer.Ordinal);

    /// <summary>Files read.</summary>
    public int Files { get; private set; }

    /// <summary>Files written.</summary>
    public int Written { get; private set; }

    /// <summary>Files not written, by reason.</summary>
    public IReadOnlyDictionary<string, int> Refused => _refusals;

    /// <summary>"(gggg,eeee) Keyword: action" to how many times it was applied.</summary>
    public IReadOnlyDictionary<string, int> Changes => _changes;

    internal void Read() => Files++;

    internal void Wrote() => Written++;

    internal void Refuse(string code) => _refusals[code] = _refusals.GetValueOrDefault(code) + 1;

    internal void Change(string what) => _changes[what] = _changes.GetValueOrDefault(what) + 1;
}
