namespace GlcmMae.Shared.Imaging;

/// <summary>How the decoded values of a scan are to be displayed.</summary>
public enum ScanPhotometric
{
    /// <summary>Grayscale, higher values brighter.</summary>
    Monochrome2,

    /// <summary>Grayscale, higher values darker (inverted for display and training).</summary>
    Monochrome1,

    /// <summary>Three channels, red green blue.</summary>
    Rgb,
}
