namespace GlcmMae.Shared.Inference;

/// <summary>One image's class scores (logits, or probabilities for a graph without logits), how long it waited for its batch, and the batch's inference time and size.</summary>
public sealed record BatchedInference(float[] Scores, double QueueMilliseconds, double InferenceMilliseconds, int BatchSize);
