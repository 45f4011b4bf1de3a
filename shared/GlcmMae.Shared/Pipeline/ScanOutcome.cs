using GlcmMae.Shared.Contracts;

using GlcmMae.Shared.Explain;

namespace GlcmMae.Shared.Pipeline;

/// <summary>Either a result or a typed error for one scan, and the correlation id to publish it with.</summary>
/// <param name="Result">The classification, when there is one.</param>
/// <param name="Error">The typed error, when the scan could not be classified.</param>
/// <param name="CorrelationId">The id of the event that announced the scan.</param>
/// <param name="TraceParent">The W3C id of the activity that produced the outcome, carried by the published message as Diagnostic-Id.</param>
public sealed record ScanOutcome(ClassificationResult? Result, ScanError? Error, string? CorrelationId, string? TraceParent = null)
{
    /// <summary>The occlusion map and its overlay image, when serving was asked to explain (<c>Inference:Explain</c>); the host decides where it is stored.</summary>
    public Explanation? Explanation { get; init; }

    /// <summary>
    /// The scan's Patient ID (DICOM), for the FHIR subject mapping only (<c>Fhir:SubjectIdentifierSystem</c>): never part
    /// of a message and never serialised; the pseudonymising publisher replaces it by its pseudonym before anything reads it.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? PatientId { get; init; }

    /// <summary>The message id (result id or error id).</summary>
    public string MessageId => Result?.ResultId ?? Error!.ErrorId;
}
