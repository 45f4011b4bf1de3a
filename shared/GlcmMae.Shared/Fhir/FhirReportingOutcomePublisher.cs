using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;

namespace GlcmMae.Shared.Fhir;

/// <summary>
/// Publishes outcomes through <paramref name="inner"/>, then a DiagnosticReport of every result to <c>fhir-results</c>
/// (<c>Fhir:Reports=StudiesAndInstances</c>). It sits inside the pseudonymising publisher, so the reports carry the
/// same pseudonyms as the results; the report id is the result id, so a redelivery is a duplicate there too.
/// </summary>
/// <remarks>With a subject mapping (<paramref name="subjectSystem"/>), the subject is the outcome's Patient ID as the pseudonymising publisher left it: its pseudonym.</remarks>
public sealed class FhirReportingOutcomePublisher(IOutcomePublisher inner, IMessagePublisher reports, string? subjectSystem = null) : IOutcomePublisher
{
    /// <inheritdoc />
    public async Task PublishAsync(IReadOnlyList<ScanOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        await inner.PublishAsync(outcomes, cancellationToken).ConfigureAwait(false);
        var messages = outcomes.Where(o => o.Result is not null)
            .Select(o => DiagnosticReports.ToMessage(DiagnosticReports.ForInstance(o.Result!, subjectSystem is not null && o.PatientId is { } patient ? (subjectSystem, patient) : null), "instance"))
            .ToArray();
        if (messages.Length > 0)
        {
            await reports.PublishAsync(messages, cancellationToken).ConfigureAwait(false);
        }
    }
}
