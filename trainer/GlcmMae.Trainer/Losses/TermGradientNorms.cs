using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Losses;

/// <summary>
/// How hard each weighted term of the pretraining loss pushes the decoder's output: the L2 norm of the gradient of
/// w_k * term_k with respect to the prediction, per term (null when the term is off). Comparing them shows whether
/// a term is learning, saturated, or drowned by the others, which the terms' values alone cannot.
/// </summary>
internal sealed record TermGradientNorms(double? Mse, double? Glcm, double? Ssim, double? Features)
{
    /// <summary>Measures each enabled term on its own, before the step's backward pass (the graph is kept for it).</summary>
    /// <param name="loss">The run's loss: its weights and settings.</param>
    /// <param name="images">The batch (B, C, H, W).</param>
    /// <param name="prediction">The decoder's output (B, L, P*P*C), part of the autograd graph.</param>
    /// <param name="mask">The mask (B, L).</param>
    /// <param name="sharpness">The GLCM sharpness of this step.</param>
    public static TermGradientNorms Measure(PretrainingLoss loss, Tensor images, Tensor prediction, Tensor mask, double? sharpness)
    {
        ArgumentNullException.ThrowIfNull(loss);
        var o = loss.Options;
        double? Norm(double weight, PretrainingLossOptions alone)
        {
            if (weight <= 0)
            {
                return null;
            }

            using var scope = torch.NewDisposeScope();
            var single = new PretrainingLoss(alone, loss.Range, loss.PatchSize, loss.Channels) { FuseCpuTerms = false };
            var term = single.Compute(images, prediction, mask, sharpness).Total;
            var gradient = torch.autograd.grad([term], [prediction], retain_graph: true, allow_unused: true)[0];
            return gradient is null ? 0 : gradient.norm().item<float>();
        }

        var none = o with { MseWeight = 0, GlcmWeight = 0, SsimWeight = 0, FeatureWeight = 0 };
        return new TermGradientNorms(
            Norm(o.MseWeight, none with { MseWeight = o.MseWeight }),
            Norm(o.GlcmWeight, none with { GlcmWeight = o.GlcmWeight }),
            Norm(o.SsimWeight, none with { SsimWeight = o.SsimWeight }),
            Norm(o.FeatureWeight, none with { FeatureWeight = o.FeatureWeight }));
    }
}
