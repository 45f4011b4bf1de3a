namespace GlcmMae.Shared.Inference;

/// <summary>One image's probabilities, how long it waited for its batch, and the batch's inference time and size.</summary>
public sealed record BatchedInference(float[] Probabilities, double QueueMilliseconds, double InferenceMilliseconds, int BatchSize);
