namespace GlcmMae.Shared.Imaging;

/// <summary>The display (VOI) transforms a scan carries: windows, the window function, and VOI LUTs.</summary>
public sealed record VoiSettings(IReadOnlyList<VoiWindow> Windows, VoiLutFunction Function, IReadOnlyList<LookupTable> Luts)
{
    /// <summary>No VOI information (PNG/JPEG and DICOM files without windows).</summary>
    public static VoiSettings None { get; } = new([], VoiLutFunction.Linear, []);
}
