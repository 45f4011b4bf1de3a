using System.Globalization;

namespace GlcmMae.Trainer.Losses;

/// <summary>The intensity range [Min, Max] of the preprocessed training images: the GLCM bins span it and predictions are clamped to it.</summary>
/// <param name="Min">Lowest value seen over the training set.</param>
/// <param name="Max">Highest value seen over the training set.</param>
internal readonly record struct DataRange(double Min, double Max)
{
    /// <summary>The range of images scaled to [0, 1] without mean/std normalisation.</summary>
    public static DataRange Unit { get; } = new(0, 1);

    /// <summary>Max - Min.</summary>
    public double Width => Max - Min;

    /// <summary>Throws unless the range is finite and not empty.</summary>
    public DataRange Validate()
    {
        if (!double.IsFinite(Min) || !double.IsFinite(Max) || !(Max > Min))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The data range [{Min}, {Max}] is empty or not finite; every training image has the same value, so there is no texture to learn."));
        }

        return this;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Min:G6}, {Max:G6}]");
}
