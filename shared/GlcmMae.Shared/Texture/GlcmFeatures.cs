namespace GlcmMae.Shared.Texture;

/// <summary>Texture statistics of a GLCM normalised to probabilities P(i, j) (definitions as in scikit-image, entropy in bits).</summary>
/// <param name="Contrast">Sum of P(i,j) (i - j)^2.</param>
/// <param name="Correlation">Sum of P(i,j) (i - mu_i)(j - mu_j) / (sigma_i sigma_j); 1 for a constant image.</param>
/// <param name="Homogeneity">Sum of P(i,j) / (1 + (i - j)^2).</param>
/// <param name="AngularSecondMoment">Sum of P(i,j)^2.</param>
/// <param name="Energy">Square root of the angular second moment.</param>
/// <param name="Entropy">-Sum of P(i,j) log2 P(i,j).</param>
public sealed record GlcmFeatures(double Contrast, double Correlation, double Homogeneity, double AngularSecondMoment, double Energy, double Entropy)
{
    /// <summary>Computes the statistics; an empty matrix (no pairs) gives zeros and correlation 1.</summary>
    public static GlcmFeatures From(GrayLevelCooccurrence glcm)
    {
        ArgumentNullException.ThrowIfNull(glcm);
        var total = glcm.Total;
        if (total == 0)
        {
            return new GlcmFeatures(0, 1, 0, 0, 0, 0);
        }

        var levels = glcm.Levels;
        double contrast = 0, homogeneity = 0, asm = 0, entropy = 0, meanI = 0, meanJ = 0;
        for (var i = 0; i < levels; i++)
        {
            for (var j = 0; j < levels; j++)
            {
                var p = glcm[i, j] / total;
                if (p == 0)
                {
                    continue;
                }

                contrast += p * (i - j) * (i - j);
                homogeneity += p / (1.0 + ((i - j) * (i - j)));
                asm += p * p;
                entropy -= p * Math.Log2(p);
                meanI += i * p;
                meanJ += j * p;
            }
        }

        double varianceI = 0, varianceJ = 0, covariance = 0;
        for (var i = 0; i < levels; i++)
        {
            for (var j = 0; j < levels; j++)
            {
                var p = glcm[i, j] / total;
                varianceI += p * (i - meanI) * (i - meanI);
                varianceJ += p * (j - meanJ) * (j - meanJ);
                covariance += p * (i - meanI) * (j - meanJ);
            }
        }

        // A constant image has no spread: scikit-image defines its correlation as 1.
        var correlation = varianceI < 1e-15 || varianceJ < 1e-15 ? 1.0 : covariance / Math.Sqrt(varianceI * varianceJ);
        return new GlcmFeatures(contrast, correlation, homogeneity, asm, Math.Sqrt(asm), entropy);
    }
}
