namespace GlcmMae.Shared.Fhir;

/// <summary>Which results are also published as FHIR R4 DiagnosticReports on <c>fhir-results</c>.</summary>
public enum FhirReports
{
    /// <summary>None.</summary>
    Off,

    /// <summary>One report per study result (the default when study results are on).</summary>
    Studies,

    /// <summary>Study results and every instance result.</summary>
    StudiesAndInstances,
}
