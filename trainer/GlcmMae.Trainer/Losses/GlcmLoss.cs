using GlcmMae.Trainer.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Losses;

/// <summary>The soft GLCM comparison of predicted and target patches, per patch; two formulations with equal values.</summary>
internal abstract class GlcmLoss
{
    /// <summary>Number of texture features <see cref="FeaturesPerPatch"/> returns per offset.</summary>
    public const int FeatureCount = 5;

    protected GlcmLoss(GlcmLossOptions options, DataRange range)
    {
        Options = options.Validate();
        Range = range.Validate();
    }

    /// <summary>The loss settings.</summary>
    public GlcmLossOptions Options { get; }

    /// <summary>The intensity range the bins span.</summary>
    public DataRange Range { get; }

    /// <summary>Creates the formulation the options ask for.</summary>
    public static GlcmLoss Create(GlcmLossOptions options, DataRange range) => options.Formulation switch
    {
        GlcmFormulation.Direct => new DirectGlcmLoss(options, range),
        _ => new SparseGlcmLoss(options, range),
    };

    /// <summary>Per patch: mean over offsets and all K x K entries of (f(G_pred) - f(G_target))^2; inputs (N, P, P), output (N).</summary>
    /// <remarks>Predictions are clamped to the data range here; targets are data and carry no gradient.</remarks>
    public abstract Tensor PerPatch(Tensor predicted, Tensor target);

    /// <summary>
    /// Per image that has patches here: one GLCM per offset of all its patches pooled (soft counts summed), the scale
    /// transform on the pooled counts, then the mean over offsets and K x K entries of the squared difference, times
    /// <see cref="GlcmLossOptions.NormalisationFactor"/> for the pooled pixel count. Patches (N, P, P); image (N) the
    /// image each patch belongs to, below <paramref name="images"/>.
    /// </summary>
    /// <remarks>Computed in the direct form (dense K x K per patch) whichever formulation is configured.</remarks>
    public Tensor PooledPerImage(Tensor predicted, Tensor target, Tensor image, long images)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(image);
        using var scope = torch.NewDisposeScope();
        var direct = this as DirectGlcmLoss ?? new DirectGlcmLoss(Options, Range);
        var offsets = Options.Offsets.Count;
        var bins = Options.Bins;
        Tensor Pool(Tensor matrices) =>
            torch.zeros([images, offsets, bins, bins], dtype: matrices.dtype, device: matrices.device).index_add(0, image, matrices, TensorMath.One);
        var pooledPredicted = Pool(direct.Matrices(Clamp(predicted)));
        Tensor pooledTarget;
        using (torch.no_grad())
        {
            pooledTarget = Pool(direct.Matrices(target));
        }

        var patches = torch.zeros([images], dtype: predicted.dtype, device: predicted.device).index_add(0, image, torch.ones_like(image, dtype: predicted.dtype), TensorMath.One);
        var present = TensorMath.WithScalar(0.5, half => patches.gt(half)).nonzero().squeeze(1);
        pooledPredicted = pooledPredicted.index_select(0, present);
        pooledTarget = pooledTarget.index_select(0, present);
        if (Options.Scale)
        {
            // S is the pooled matrix's own sum; an empty one (a flat region outside every bin) keeps 0 instead of 0/0.
            var predictedSums = TensorMath.WithScalar(1e-12, floor => pooledPredicted.sum([-2, -1], keepdim: true).clamp_min(floor));
            var targetSums = TensorMath.WithScalar(1e-12, floor => pooledTarget.sum([-2, -1], keepdim: true).clamp_min(floor));
            pooledPredicted = SoftGlcm.ScaleTransform(pooledPredicted, predictedSums);
            pooledTarget = SoftGlcm.ScaleTransform(pooledTarget, targetSums);
        }

        var perImage = (pooledPredicted - pooledTarget).Squared().mean([1, 2, 3]);
        if (Options.Normalisation == GlcmNormalisation.Pixels)
        {
            // K^2 / N^2 with N the pooled pixels, n patches of P x P: one patch's factor divided by n^2.
            perImage = perImage.Times(Options.NormalisationFactor(predicted.shape[^1] * predicted.shape[^2])) / patches.index_select(0, present).Squared();
        }

        return perImage.MoveToOuterDisposeScope();
    }

    /// <summary>Texture features of each patch's normalised soft GLCMs: (N, offsets, 5) = contrast, correlation, homogeneity, energy, entropy.</summary>
    /// <remarks>
    /// Gray levels are bin indices; contrast is divided by (K-1)^2 and entropy (natural log) by ln(K^2) so that all five lie
    /// in comparable ranges. Features are taken of the unscaled counts.
    /// </remarks>
    public abstract Tensor FeaturesPerPatch(Tensor patches);

    /// <summary>Per patch: mean squared difference of the texture features of predicted and target patches.</summary>
    public Tensor FeatureMatchingPerPatch(Tensor predicted, Tensor target)
    {
        using var scope = torch.NewDisposeScope();
        var predictedFeatures = FeaturesPerPatch(Clamp(predicted));
        Tensor targetFeatures;
        using (torch.no_grad())
        {
            targetFeatures = FeaturesPerPatch(target);
        }

        return (predictedFeatures - targetFeatures).Squared().mean([1, 2]).MoveToOuterDisposeScope();
    }

    /// <summary>Clamps predictions to the data range before binning, as the method does.</summary>
    protected Tensor Clamp(Tensor predicted) => TensorMath.WithScalars(Range.Min, Range.Max, predicted.clamp);

    /// <summary>The five features from normalised co-occurrence weights p at gray levels (i, j), summed per group.</summary>
    /// <param name="probability">Weights p (any shape).</param>
    /// <param name="i">Reference gray level of each weight, as a float tensor broadcastable to p.</param>
    /// <param name="j">Neighbour gray level of each weight.</param>
    /// <param name="sum">Sums a tensor shaped like p over each GLCM, returning one value per GLCM.</param>
    /// <param name="expand">Broadcasts per-GLCM values back to the shape of p.</param>
    protected Tensor Features(Tensor probability, Tensor i, Tensor j, Func<Tensor, Tensor> sum, Func<Tensor, Tensor> expand)
    {
        var k = Options.Bins;
        var difference = i - j;
        var contrast = sum(probability * difference.Squared()).DividedBy((double)(k - 1) * (k - 1));
        var meanI = sum(probability * i);
        var meanJ = sum(probability * j);
        var centredI = i - expand(meanI);
        var centredJ = j - expand(meanJ);
        var varianceI = sum(probability * centredI.Squared());
        var varianceJ = sum(probability * centredJ.Squared());
        // A flat patch has no spread: its correlation is defined as 0 rather than 0/0.
        var correlation = sum(probability * centredI * centredJ) / (varianceI * varianceJ).Plus(1e-12).sqrt();
        var homogeneity = sum(probability / difference.Squared().Plus(1.0));
        var energy = sum(probability.Squared()).Plus(1e-12).sqrt();
        var entropy = -sum(probability * TensorMath.WithScalar(1e-12, floor => probability.clamp_min(floor)).log()).DividedBy(Math.Log((double)k * k));
        return torch.stack([contrast, correlation, homogeneity, energy, entropy], -1);
    }
}
