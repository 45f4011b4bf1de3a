namespace GlcmMae.Shared.Fhir;

/// <summary>FHIR output (section "Fhir").</summary>
/// <remarks>
/// Reports carry no demographics and no subject: the scans' patient attributes never leave the scan, and nothing
/// here maps them to a Patient. The imaging study is referenced by its Study Instance UID identifier (its pseudonym
/// under <c>Privacy:Mode=Pseudonymise</c>), which a FHIR server holding the ImagingStudy resolves.
/// </remarks>
public sealed record FhirOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Fhir";

    /// <summary>Which results get a report.</summary>
    public FhirReports Reports { get; set; } = FhirReports.Studies;
}
