namespace GlcmMae.Shared.Imaging;

/// <summary>One window centre/width pair, in modality (output of the modality LUT) units.</summary>
public sealed record VoiWindow(double Center, double Width, string? Explanation = null);
