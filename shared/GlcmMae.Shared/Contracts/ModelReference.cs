namespace GlcmMae.Shared.Contracts;

/// <summary>Which model produced a result, and on which execution provider.</summary>
public sealed record ModelReference(string Name, string Version, string Sha256, string PreprocessingHash, string ExecutionProvider);
