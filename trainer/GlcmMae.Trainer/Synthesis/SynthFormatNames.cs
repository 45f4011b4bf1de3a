namespace GlcmMae.Trainer.Synthesis;

/// <summary>The command-line names of <see cref="SynthFormat"/>s.</summary>
internal static class SynthFormatNames
{
    private static readonly (string Name, SynthFormat Format)[] Table =
    [
        ("png", SynthFormat.Png),
        ("dicom-us", SynthFormat.DicomUs),
        ("dicom-us-rgb", SynthFormat.DicomUsRgb),
        ("dicom-ct", SynthFormat.DicomCt),
    ];

    /// <summary>Every name, the default (png) first.</summary>
    public static string[] All { get; } = [.. Table.Select(entry => entry.Name)];

    /// <summary>The format a name (one of <see cref="All"/>) stands for.</summary>
    public static SynthFormat Parse(string name)
    {
        foreach (var entry in Table)
        {
            if (entry.Name == name)
            {
                return entry.Format;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(name), name, $"Expected one of {string.Join(", ", All)}.");
    }

    /// <summary>The name of a format.</summary>
    public static string Name(SynthFormat format)
    {
        foreach (var entry in Table)
        {
            if (entry.Format == format)
            {
                return entry.Name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(format), format, null);
    }
}
