using GlcmMae.Trainer.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Losses;

/// <summary>The GLCM loss exactly as published: dense memberships for every map and dense K x K matrices per patch.</summary>
/// <remarks>Kept as the reference the sparse form is tested and benchmarked against; its memory is (patches x pairs x K) per map.</remarks>
internal sealed class DirectGlcmLoss(GlcmLossOptions options, DataRange range) : GlcmLoss(options, range)
{
    /// <inheritdoc />
    public override Tensor PerPatch(Tensor predicted, Tensor target)
    {
        using var scope = torch.NewDisposeScope();
        var glcmPredicted = Matrices(Clamp(predicted));
        Tensor glcmTarget;
        using (torch.no_grad())
        {
            glcmTarget = Matrices(target);
        }

        if (Options.Scale)
        {
            glcmPredicted = SoftGlcm.ScaleTransform(glcmPredicted, glcmPredicted.sum([-2, -1], keepdim: true));
            glcmTarget = SoftGlcm.ScaleTransform(glcmTarget, glcmTarget.sum([-2, -1], keepdim: true));
        }

        return (glcmPredicted - glcmTarget).Squared().mean([1, 2, 3]).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor FeaturesPerPatch(Tensor patches)
    {
        using var scope = torch.NewDisposeScope();
        var glcm = Matrices(patches);
        var probability = glcm / glcm.sum([-2, -1], keepdim: true);
        var levels = TensorMath.Arange(0, Options.Bins, patches.dtype, patches.device);
        var i = levels.view(-1, 1);
        var j = levels.view(1, -1);
        return Features(probability, i, j, t => t.sum([-2, -1]), t => t.unsqueeze(-1).unsqueeze(-1)).MoveToOuterDisposeScope();
    }

    /// <summary>(N, offsets, K, K) soft counts.</summary>
    public Tensor Matrices(Tensor patches)
    {
        using var scope = torch.NewDisposeScope();
        var matrices = Options.Offsets
            .Select(offset => SoftGlcm.Cooccurrence(patches, offset, Options.Bins, Range, Options.Sharpness))
            .ToArray();
        return torch.stack(matrices, 1).MoveToOuterDisposeScope();
    }
}
