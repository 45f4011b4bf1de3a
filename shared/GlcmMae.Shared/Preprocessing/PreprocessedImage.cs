namespace GlcmMae.Shared.Preprocessing;

/// <summary>A model-ready tensor for one image, channels first (CHW; a batch of one is NCHW with N = 1).</summary>
public sealed record PreprocessedImage(float[] Data, int Channels, int Height, int Width);
