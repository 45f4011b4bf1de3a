using GlcmMae.Shared.Contracts;

namespace GlcmMae.Shared.Pipeline;

/// <summary>Either a result or a typed error for one scan, and the correlation id to publish it with.</summary>
public sealed record ScanOutcome(ClassificationResult? Result, ScanError? Error, string? CorrelationId)
{
    /// <summary>The message id (result id or error id).</summary>
    public string MessageId => Result?.ResultId ?? Error!.ErrorId;
}
