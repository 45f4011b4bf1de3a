using GlcmMae.Shared.Contracts;

namespace GlcmMae.Shared.Studies;

/// <summary>A revision of a study this completer won the right to publish, with the instances it contains.</summary>
/// <param name="StudyKey">The study's partition key.</param>
/// <param name="StudyInstanceUid">The study's UID (as recorded, not pseudonymised).</param>
/// <param name="Revision">The revision.</param>
/// <param name="Reason">quiet or expected.</param>
/// <param name="Instances">Every instance that joined this revision or an earlier one, in processing order.</param>
/// <param name="PatientPseudonym">The pseudonym of the study's Patient ID, when privacy is on and the scans carried one.</param>
public sealed record StudyClaim(string StudyKey, string StudyInstanceUid, int Revision, string Reason, IReadOnlyList<StudyInstance> Instances, string? PatientPseudonym = null);
