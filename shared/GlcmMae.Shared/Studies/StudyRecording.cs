namespace GlcmMae.Shared.Studies;

/// <summary>What recording an instance did.</summary>
/// <param name="StudyKey">The study's partition key.</param>
/// <param name="Duplicate">True when the same result was recorded before (a redelivered event): nothing changed.</param>
/// <param name="Due">True when the study is now complete by its expected instance count: publish it without waiting for the quiet period.</param>
public sealed record StudyRecording(string StudyKey, bool Duplicate, bool Due);
