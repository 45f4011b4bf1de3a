namespace GlcmMae.Trainer.Losses;

/// <summary>Weights and settings of the pretraining loss: L = w_glcm GLCM + w_ssim SSIM + w_mse MSE (+ w_features features).</summary>
internal sealed record PretrainingLossOptions
{
    /// <summary>The method's code default (docs/training.md): 1 GLCM + 1 SSIM + 0.1 MSE, no feature term.</summary>
    public static PretrainingLossOptions Method { get; } = new();

    /// <summary>Plain MAE: MSE only (stage 1 of the method's schedule).</summary>
    public static PretrainingLossOptions MseOnly { get; } = new() { GlcmWeight = 0, SsimWeight = 0, MseWeight = 1 };

    /// <summary>Weight of the GLCM matrix-matching term (0 disables it and its cost).</summary>
    public double GlcmWeight { get; init; } = 1.0;

    /// <summary>Weight of the 1 - SSIM term.</summary>
    public double SsimWeight { get; init; } = 1.0;

    /// <summary>Weight of the masked pixel MSE.</summary>
    public double MseWeight { get; init; } = 0.1;

    /// <summary>Weight of the GLCM feature-matching variant (the paper summary's form; off in the code).</summary>
    public double FeatureWeight { get; init; }

    /// <summary>Normalise each target patch by its mean and variance for the MSE term.</summary>
    public bool NormalisePixels { get; init; }

    /// <summary>GLCM settings shared by the matrix and feature terms.</summary>
    public GlcmLossOptions Glcm { get; init; } = new();

    /// <summary>Throws when no term is on or a weight is negative.</summary>
    public PretrainingLossOptions Validate()
    {
        double[] weights = [GlcmWeight, SsimWeight, MseWeight, FeatureWeight];
        if (weights.Any(w => w < 0 || !double.IsFinite(w)))
        {
            throw new ArgumentException("Loss weights must be finite and non-negative.");
        }

        if (weights.All(w => w == 0))
        {
            throw new ArgumentException("Every loss weight is 0; enable at least one of --w-glcm, --w-ssim, --w-mse, --w-features.");
        }

        Glcm.Validate();
        return this;
    }
}
