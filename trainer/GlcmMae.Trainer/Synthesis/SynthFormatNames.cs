namespace GlcmMae.Trainer.Synthesis;

/// <summary>The command-line names of <see cref="SynthFormat"/>s.</summary>
internal static class SynthFormatNames
{
    /// <summary>Every name, the default (png) first.</summary>
    public static string[] All { get; } = ["png", "dicom-us", "dicom-us-rgb", "dicom-ct"];

    /// <summary>The format a name (one of <see cref="All"/>) stands for.</summary>
    public static SynthFormat Parse(string name) => name switch
    {
        "png" => SynthFormat.Png,
        "dicom-us" => SynthFormat.DicomUs,
        "dicom-us-rgb" => SynthFormat.DicomUsRgb,
        "dicom-ct" => SynthFormat.DicomCt,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"Expected one of {string.Join(", ", All)}."),
    };

    /// <summary>The name of a format.</summary>
    public static string Name(SynthFormat format) => format switch
    {
        SynthFormat.Png => "png",
        SynthFormat.DicomUs => "dicom-us",
        SynthFormat.DicomUsRgb => "dicom-us-rgb",
        SynthFormat.DicomCt => "dicom-ct",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
