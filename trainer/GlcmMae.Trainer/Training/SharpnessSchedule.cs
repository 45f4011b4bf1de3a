using System.Globalization;

namespace GlcmMae.Trainer.Training;

/// <summary>GLCM kernel sharpness L per epoch: constant, or a curriculum growing linearly from a start to an end value.</summary>
/// <param name="Start">L at the first epoch.</param>
/// <param name="End">L at the last epoch.</param>
internal sealed record SharpnessSchedule(double Start, double End)
{
    /// <summary>Parses <c>30</c> (constant) or <c>5:30</c> (linear from 5 to 30 over the run).</summary>
    public static SharpnessSchedule Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 1 or > 2 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0))
        {
            throw new ArgumentException($"Sharpness '{text}' is not a positive number or a START:END curriculum such as 5:30.");
        }

        var values = parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new SharpnessSchedule(values[0], values[^1]);
    }

    /// <summary>L for a 0-based epoch of a run of <paramref name="epochs"/> epochs.</summary>
    public double At(int epoch, int epochs) => epochs <= 1 ? End : Start + ((End - Start) * epoch / (epochs - 1));

    /// <inheritdoc />
    public override string ToString() => Start == End
        ? Start.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Start}:{End}");
}
