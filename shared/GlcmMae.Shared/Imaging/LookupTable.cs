namespace GlcmMae.Shared.Imaging;

/// <summary>A DICOM lookup table (modality, VOI or palette): input values from <see cref="FirstMapped"/>, clamped at both ends.</summary>
/// <param name="FirstMapped">The input value mapped to the first entry.</param>
/// <param name="Bits">Bits per output entry.</param>
/// <param name="Entries">The output values.</param>
public sealed record LookupTable(int FirstMapped, int Bits, IReadOnlyList<ushort> Entries)
{
    /// <summary>Largest output value the table can produce by its bit depth.</summary>
    public double MaxOutput => (1 << Bits) - 1;

    /// <summary>Looks up <paramref name="input"/>, clamping inputs outside the table to its first or last entry.</summary>
    public ushort Map(double input)
    {
        var index = (long)Math.Floor(input) - FirstMapped;
        return Entries[(int)Math.Clamp(index, 0, Entries.Count - 1)];
    }
}
