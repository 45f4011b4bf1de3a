namespace GlcmMae.Shared.Explain;

/// <summary>
/// Where the model looked: for every pixel of its input, how much the explained class's calibrated probability fell
/// when a window around it was hidden (the mean of the windows that cover it).
/// </summary>
/// <param name="Heat">Probability drop per pixel, rows-major (negative: hiding it raised the probability).</param>
/// <param name="Size">Side of the model's (square) input.</param>
/// <param name="PeakX">Column of the largest drop.</param>
/// <param name="PeakY">Row of the largest drop.</param>
/// <param name="ClassIndex">The class explained.</param>
/// <param name="Milliseconds">What computing it took.</param>
public sealed record OcclusionMap(float[] Heat, int Size, int PeakX, int PeakY, int ClassIndex, double Milliseconds);
