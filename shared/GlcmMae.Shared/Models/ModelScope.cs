namespace GlcmMae.Shared.Models;

/// <summary>
/// What a model was trained on, as far as a scan's header can tell: its formats, DICOM modalities, photometric
/// interpretations, samples per pixel, bit depths and image sizes (from the training split's scans). Serving refuses a
/// scan outside it (<c>OutOfScope</c>) instead of giving it a label: a CT sent to an ultrasound model gets no finding.
/// </summary>
public sealed record ModelScope
{
    /// <summary>File formats: Dicom, Png, Jpeg (for the record: serving checks what a scan carries, not its container).</summary>
    public IReadOnlyList<string> Formats { get; init; } = [];

    /// <summary>DICOM modalities (US, CT, ...); empty when no training scan was DICOM.</summary>
    public IReadOnlyList<string> Modalities { get; init; } = [];

    /// <summary>Photometric interpretations, with MONOCHROME1 and MONOCHROME2 as MONOCHROME (preprocessing makes them alike).</summary>
    public IReadOnlyList<string> PhotometricInterpretations { get; init; } = [];

    /// <summary>Samples per pixel (1 grayscale, 3 colour).</summary>
    public IReadOnlyList<int> SamplesPerPixel { get; init; } = [];

    /// <summary>Fewest bits stored.</summary>
    public int MinBitsStored { get; init; }

    /// <summary>Most bits stored.</summary>
    public int MaxBitsStored { get; init; }

    /// <summary>Smallest height.</summary>
    public int MinRows { get; init; }

    /// <summary>Largest height.</summary>
    public int MaxRows { get; init; }

    /// <summary>Smallest width.</summary>
    public int MinColumns { get; init; }

    /// <summary>Largest width.</summary>
    public int MaxColumns { get; init; }

    /// <summary>MONOCHROME1 and MONOCHROME2 as one (the preprocessing inverts MONOCHROME1).</summary>
    public static string NormalisePhotometric(string photometric)
    {
        ArgumentNullException.ThrowIfNull(photometric);
        return photometric.StartsWith("MONOCHROME", StringComparison.OrdinalIgnoreCase) ? "MONOCHROME" : photometric.ToUpperInvariant();
    }
}
