namespace GlcmMae.Shared.Fhir;

/// <summary>FHIR output (section "Fhir").</summary>
/// <remarks>
/// Reports carry no demographics. The imaging study is referenced by its Study Instance UID identifier (its pseudonym
/// under <c>Privacy:Mode=Pseudonymise</c>), which a FHIR server holding the ImagingStudy resolves. The subject is
/// referenced only when <see cref="SubjectIdentifierSystem"/> is set, and then only by the pseudonym of the scan's
/// Patient ID, which the hospital resolves with the privacy key (<c>glcmmae pseudonym</c>).
/// </remarks>
public sealed record FhirOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Fhir";

    /// <summary>Which results get a report.</summary>
    public FhirReports Reports { get; set; } = FhirReports.Studies;

    /// <summary>
    /// The identifier system (a URI, e.g. <c>urn:oid:...</c> of the hospital's pseudonymised MRNs) under which reports
    /// reference their subject as <c>Patient?identifier=system|pseudonym</c>; null (the default): no subject. Needs
    /// <c>Privacy:Mode=Pseudonymise</c>, so that no Patient ID ever leaves in clear.
    /// </summary>
    public string? SubjectIdentifierSystem { get; set; }
}
