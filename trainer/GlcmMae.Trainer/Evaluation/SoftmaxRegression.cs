namespace GlcmMae.Trainer.Evaluation;

/// <summary>
/// Multinomial logistic regression on standardised features, fitted by full-batch gradient descent with L2: the
/// linear probe of a hand-made feature vector (GLCM features, intensity histograms), deterministic for the same data.
/// </summary>
internal sealed class SoftmaxRegression
{
    private readonly double[] _mean;
    private readonly double[] _scale;
    private readonly double[,] _weights;
    private readonly double[] _bias;

    private SoftmaxRegression(double[] mean, double[] scale, double[,] weights, double[] bias)
    {
        (_mean, _scale, _weights, _bias) = (mean, scale, weights, bias);
    }

    /// <summary>Fits <paramref name="classes"/>-way regression to <paramref name="features"/> and labels <paramref name="labels"/>.</summary>
    public static SoftmaxRegression Fit(IReadOnlyList<double[]> features, IReadOnlyList<int> labels, int classes, double l2 = 1e-3, int iterations = 1000, double learningRate = 0.5)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Count == 0 || features.Count != labels.Count)
        {
            throw new ArgumentException("Fitting needs one label per feature vector, and at least one.");
        }

        var d = features[0].Length;
        var mean = new double[d];
        var scale = new double[d];
        for (var j = 0; j < d; j++)
        {
            mean[j] = features.Average(x => x[j]);
            var sd = Math.Sqrt(features.Average(x => (x[j] - mean[j]) * (x[j] - mean[j])));
            scale[j] = sd > 1e-12 ? 1 / sd : 0;
        }

        var z = features.Select(x => Enumerable.Range(0, d).Select(j => (x[j] - mean[j]) * scale[j]).ToArray()).ToArray();
        var weights = new double[classes, d];
        var bias = new double[classes];
        var model = new SoftmaxRegression(mean, scale, weights, bias);
        var n = z.Length;
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var gradW = new double[classes, d];
            var gradB = new double[classes];
            for (var i = 0; i < n; i++)
            {
                var p = model.Softmax(z[i]);
                for (var c = 0; c < classes; c++)
                {
                    var error = p[c] - (labels[i] == c ? 1 : 0);
                    gradB[c] += error / n;
                    for (var j = 0; j < d; j++)
                    {
                        gradW[c, j] += error * z[i][j] / n;
                    }
                }
            }

            for (var c = 0; c < classes; c++)
            {
                bias[c] -= learningRate * gradB[c];
                for (var j = 0; j < d; j++)
                {
                    weights[c, j] -= learningRate * (gradW[c, j] + (l2 * weights[c, j]));
                }
            }
        }

        return model;
    }

    /// <summary>Class probabilities of one feature vector.</summary>
    public double[] Probabilities(double[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Softmax([.. features.Select((x, j) => (x - _mean[j]) * _scale[j])]);
    }

    /// <summary>The most probable class.</summary>
    public int Predict(double[] features)
    {
        var p = Probabilities(features);
        return Array.IndexOf(p, p.Max());
    }

    private double[] Softmax(double[] standardised)
    {
        var classes = _bias.Length;
        var logits = new double[classes];
        for (var c = 0; c < classes; c++)
        {
            var sum = _bias[c];
            for (var j = 0; j < standardised.Length; j++)
            {
                sum += _weights[c, j] * standardised[j];
            }

            logits[c] = sum;
        }

        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var total = exp.Sum();
        return [.. exp.Select(e => e / total)];
    }
}
