namespace GlcmMae.Shared.Safety;

/// <summary>
/// Where the training scans lie in <see cref="TextureSignature"/> space: their mean and the inverse of their covariance
/// (shrunk towards its diagonal, so that a few hundred scans give a stable inverse). A scan's
/// <see cref="OodScoreKind.TextureDistance"/> is its Mahalanobis distance from them.
/// </summary>
/// <param name="SignatureVersion">The <see cref="TextureSignature.Version"/> fitted.</param>
/// <param name="Scans">Training scans the statistics came from.</param>
/// <param name="Mean">Mean signature.</param>
/// <param name="InverseCovariance">Inverse shrunk covariance, row-major.</param>
public sealed record TextureReference(int SignatureVersion, int Scans, IReadOnlyList<double> Mean, IReadOnlyList<double> InverseCovariance)
{
    /// <summary>Shrinkage of the covariance towards its diagonal.</summary>
    public const double Shrinkage = 0.1;

    /// <summary>Fits the reference to signatures (one row per scan).</summary>
    public static TextureReference Fit(IReadOnlyList<double[]> signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        if (signatures.Count < 2)
        {
            throw new ArgumentException("A reference needs at least two scans.", nameof(signatures));
        }

        var d = signatures[0].Length;
        var mean = new double[d];
        foreach (var s in signatures)
        {
            for (var i = 0; i < d; i++)
            {
                mean[i] += s[i] / signatures.Count;
            }
        }

        var covariance = new double[d, d];
        foreach (var s in signatures)
        {
            for (var i = 0; i < d; i++)
            {
                for (var j = 0; j < d; j++)
                {
                    covariance[i, j] += (s[i] - mean[i]) * (s[j] - mean[j]) / (signatures.Count - 1);
                }
            }
        }

        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j < d; j++)
            {
                covariance[i, j] *= i == j ? 1 : 1 - Shrinkage;
            }

            // A feature constant over the training scans still gets a variance, so that the inverse exists.
            covariance[i, i] += 1e-9 + (1e-6 * Math.Abs(covariance[i, i]));
        }

        return new TextureReference(TextureSignature.Version, signatures.Count, mean, Invert(covariance));
    }

    /// <summary>The Mahalanobis distance of a signature from the reference.</summary>
    public double Distance(ReadOnlySpan<double> signature)
    {
        var d = Mean.Count;
        if (signature.Length != d)
        {
            throw new ArgumentException($"A signature of {signature.Length} features for a reference of {d}.", nameof(signature));
        }

        var sum = 0.0;
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j < d; j++)
            {
                sum += (signature[i] - Mean[i]) * InverseCovariance[(i * d) + j] * (signature[j] - Mean[j]);
            }
        }

        return Math.Sqrt(Math.Max(0, sum));
    }

    /// <summary>Gauss-Jordan inversion with partial pivoting of a symmetric positive definite matrix.</summary>
    private static double[] Invert(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        var a = new double[n, 2 * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                a[i, j] = matrix[i, j];
            }

            a[i, n + i] = 1;
        }

        for (var column = 0; column < n; column++)
        {
            var pivot = column;
            for (var row = column + 1; row < n; row++)
            {
                pivot = Math.Abs(a[row, column]) > Math.Abs(a[pivot, column]) ? row : pivot;
            }

            for (var k = 0; k < 2 * n; k++)
            {
                (a[column, k], a[pivot, k]) = (a[pivot, k], a[column, k]);
            }

            var scale = a[column, column];
            for (var k = 0; k < 2 * n; k++)
            {
                a[column, k] /= scale;
            }

            for (var row = 0; row < n; row++)
            {
                if (row == column || a[row, column] == 0)
                {
                    continue;
                }

                var factor = a[row, column];
                for (var k = 0; k < 2 * n; k++)
                {
                    a[row, k] -= factor * a[column, k];
                }
            }
        }

        var inverse = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                inverse[(i * n) + j] = a[i, n + j];
            }
        }

        return inverse;
    }
}
