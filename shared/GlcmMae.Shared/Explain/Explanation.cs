namespace GlcmMae.Shared.Explain;

/// <summary>One classified scan's explanation: the occlusion map and the PNG overlay a person looks at.</summary>
/// <param name="Map">Where the model looked.</param>
/// <param name="Png">The overlay on the model's input.</param>
public sealed record Explanation(OcclusionMap Map, byte[] Png);
