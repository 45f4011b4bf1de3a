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

    /// <summary>One result per complete study (and one per amendment).</summary>
    public const string StudyResults = "study-results";

    /// <summary>FHIR R4 DiagnosticReports (<c>application/fhir+json</c>) of study results, and of instance results when asked.</summary>
    public const string FhirResults = "fhir-results";
}
