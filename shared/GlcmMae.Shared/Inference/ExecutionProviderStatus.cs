namespace GlcmMae.Shared.Inference;

/// <summary>Whether one execution provider can really be used here, and why not when it cannot.</summary>
/// <param name="Provider">The provider that was tried.</param>
/// <param name="IsUsable">True when a session could be configured with it.</param>
/// <param name="Detail">Why it is unusable, or a short note when it is.</param>
public sealed record ExecutionProviderStatus(ExecutionProvider Provider, bool IsUsable, string Detail);
