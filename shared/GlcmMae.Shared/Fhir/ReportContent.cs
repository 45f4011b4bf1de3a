namespace GlcmMae.Shared.Fhir;

/// <summary>What a DiagnosticReport says, whether it reports a study or one instance.</summary>
internal sealed record ReportContent(
    string Id,
    bool Amended,
    DateTimeOffset Issued,
    string? StudyInstanceUid,
    string? Label,
    IReadOnlyDictionary<string, double>? Probabilities,
    string? Decision,
    string? PositiveLabel,
    double? DecisionThreshold,
    IReadOnlyList<(string Name, string Version)> Models,
    string Method,
    string? Note,
    (string System, string Value)? Subject);
