using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Privacy;

namespace GlcmMae.Shared.Messaging;

/// <summary>Publishes through <paramref name="inner"/> with every outcome's blob name and DICOM UIDs pseudonymised (<c>Privacy:Mode=Pseudonymise</c>).</summary>
public sealed class PseudonymisingOutcomePublisher(IOutcomePublisher inner, Pseudonymiser pseudonymiser) : IOutcomePublisher
{
    /// <inheritdoc />
    public Task PublishAsync(IReadOnlyList<ScanOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return inner.PublishAsync([.. outcomes.Select(Pseudonymise)], cancellationToken);
    }

    private ScanOutcome Pseudonymise(ScanOutcome outcome) => outcome with
    {
        Result = outcome.Result is { } result ? result with { Scan = pseudonymiser.Apply(result.Scan) } : null,
        Error = outcome.Error is { } error ? error with { Scan = pseudonymiser.Apply(error.Scan) } : null,
        PatientId = outcome.PatientId is { } patient ? pseudonymiser.Pseudonym(patient) : null,
    };
}
