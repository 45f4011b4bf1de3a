namespace GlcmMae.Shared.Contracts;

/// <summary>One classified frame of a multi-frame scan.</summary>
/// <param name="Index">Zero-based frame number in the scan.</param>
/// <param name="Label">The frame's most probable class (null when the model would abstain on this frame).</param>
/// <param name="Probabilities">Calibrated probabilities by label.</param>
/// <param name="OodScore">The frame's out-of-distribution score (the scan's kind).</param>
/// <param name="Abstained">True when the frame alone would be refused: it is left out of the aggregate.</param>
public sealed record FrameResult(int Index, string? Label, IReadOnlyDictionary<string, double> Probabilities, double OodScore, bool Abstained);
