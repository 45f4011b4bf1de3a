namespace GlcmMae.Shared.Messaging;

/// <summary>Topic names of the architecture brief.</summary>
public static class Topics
{
    /// <summary>Classification results.</summary>
    public const string Results = "scan-results";

    /// <summary>Scans that could not be classified.</summary>
    public const string Errors = "scan-errors";

    /// <summary>Model decisions: promoted, refused, rolled back.</summary>
    public const string ModelEvents = "model-events";
}
