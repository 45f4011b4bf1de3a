namespace GlcmMae.Trainer.Evaluation;

/// <summary>A classifier's output on an evaluation set: true label indices and class probabilities per scan.</summary>
internal sealed record Predictions
{
    public Predictions(IReadOnlyList<string> labels, int[] truth, double[][] probabilities, IReadOnlyList<string>? sources = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (truth.Length != probabilities.Length)
        {
            throw new ArgumentException($"{truth.Length} labels but {probabilities.Length} probability rows.", nameof(probabilities));
        }

        foreach (var row in probabilities)
        {
            if (row.Length != labels.Count)
            {
                throw new ArgumentException($"A probability row has {row.Length} values for {labels.Count} classes.", nameof(probabilities));
            }
        }

        if (truth.Any(t => t < 0 || t >= labels.Count))
        {
            throw new ArgumentException($"True label indices must lie in [0, {labels.Count}).", nameof(truth));
        }

        Labels = labels;
        Truth = truth;
        Probabilities = probabilities;
        Sources = sources ?? [];
    }

    /// <summary>Class labels; index = position.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>True class index per scan.</summary>
    public int[] Truth { get; }

    /// <summary>Class probabilities per scan (rows sum to 1).</summary>
    public double[][] Probabilities { get; }

    /// <summary>Where each scan came from (dataset-relative path and frame), for tracing errors; may be empty.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Scans.</summary>
    public int Count => Truth.Length;

    /// <summary>Arg-max class per scan (lowest index wins a tie, as torch.argmax does).</summary>
    public int Predicted(int scan)
    {
        var row = Probabilities[scan];
        var best = 0;
        for (var c = 1; c < row.Length; c++)
        {
            if (row[c] > row[best])
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>The predictions of a subset (with repeats, for the bootstrap).</summary>
    public Predictions Select(int[] indices) => new(Labels, [.. indices.Select(i => Truth[i])], [.. indices.Select(i => Probabilities[i])]);
}
