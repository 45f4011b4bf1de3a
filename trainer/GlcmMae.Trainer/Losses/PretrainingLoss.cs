using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Losses;

/// <summary>GLCM-MAE's pretraining objective over a masked autoencoder's output; terms with weight 0 are not computed.</summary>
internal sealed class PretrainingLoss
{
    private readonly GlcmLoss? _glcm;
    private readonly PatchSsim? _ssim;

    // The GLCM term's normalisation (GlcmLossOptions.Normalisation): its reported value and its weight both carry it.
    private readonly double _glcmScale;

    public PretrainingLoss(PretrainingLossOptions options, DataRange range, int patchSize, int channels)
    {
        Options = options.Validate();
        Range = range.Validate();
        PatchSize = patchSize;
        Channels = channels;
        _glcm = options.GlcmWeight > 0 || options.FeatureWeight > 0 ? GlcmLoss.Create(options.Glcm, range) : null;
        // A pooled GLCM is normalised per image, by its own pixel count (GlcmLoss.PooledPerImage).
        _glcmScale = options.Glcm.Region == GlcmRegion.Patch ? options.Glcm.NormalisationFactor(patchSize * patchSize) : 1.0;
        _ssim = options.SsimWeight > 0 ? new PatchSsim() : null;
    }

    /// <summary>The weights and settings.</summary>
    public PretrainingLossOptions Options { get; }

    /// <summary>Data range for clamping and binning.</summary>
    public DataRange Range { get; }

    /// <summary>Patch side.</summary>
    public int PatchSize { get; }

    /// <summary>Image channels (texture terms use channel 0).</summary>
    public int Channels { get; }

    /// <summary>Let the GLCM and SSIM terms run as one CPU pass (<see cref="CpuTextureTerms"/>) where both kernels apply; false keeps them apart.</summary>
    public bool FuseCpuTerms { get; init; } = true;

    /// <summary>Evaluates every enabled term for images (B, C, H, W), predictions (B, L, P*P*C) and the mask (B, L).</summary>
    /// <param name="sharpness">Overrides the GLCM sharpness L (curriculum); null keeps the configured value.</param>
    public LossTerms Compute(Tensor images, Tensor prediction, Tensor mask, double? sharpness = null)
    {
        using var scope = torch.NewDisposeScope();
        var target = PatchLayout.Patchify(images, PatchSize);
        var total = torch.zeros([], dtype: prediction.dtype, device: prediction.device);
        double mse = double.NaN, glcm = double.NaN, ssim = double.NaN, features = double.NaN;
        if (Options.MseWeight > 0)
        {
            // The pixel term sees the unclamped prediction, as in the method.
            var term = MaskedMse.MaskedMean(MaskedMse.PerPatch(prediction, target, Options.NormalisePixels), mask);
            total = total.Plus(term.Times(Options.MseWeight));
            mse = term.item<float>();
        }

        if (_glcm is null && _ssim is null)
        {
            return new LossTerms(total.MoveToOuterDisposeScope(), mse, glcm, ssim, features);
        }

        var glcmLoss = _glcm is not null && sharpness is { } l && l != _glcm.Options.Sharpness
            ? GlcmLoss.Create(_glcm.Options with { Sharpness = l }, Range)
            : _glcm;
        if (Fused(prediction, glcmLoss))
        {
            var (weighted, glcmValue, ssimValue) = CpuTextureTerms.Evaluate(
                prediction, target, mask, PatchSize, Channels, Range, Options.GlcmWeight > 0 ? (SparseGlcmLoss?)glcmLoss : null, Options.GlcmWeight * _glcmScale, _ssim, Options.SsimWeight);
            total = total.Plus(weighted);
            return new LossTerms(total.MoveToOuterDisposeScope(), mse, glcmValue * _glcmScale, ssimValue, features);
        }

        // Texture terms only ever look at masked patches: select them once instead of computing and discarding the rest.
        var selected = mask.flatten().nonzero().squeeze(1);
        var predictedChannel = PatchLayout.ChannelPatches(prediction, PatchSize, Channels);
        var targetChannel = PatchLayout.ChannelPatches(target, PatchSize, Channels);
        if (_glcm is not null)
        {
            var predictedPatches = predictedChannel.flatten(0, 1).index_select(0, selected);
            var targetPatches = targetChannel.flatten(0, 1).index_select(0, selected);
            var loss = glcmLoss!;
            if (Options.GlcmWeight > 0)
            {
                Tensor term;
                if (Options.Glcm.Region == GlcmRegion.Image)
                {
                    var image = TensorMath.WithScalar(mask.shape[1], patchesPerImage => selected.div(patchesPerImage, RoundingMode.floor));
                    term = loss.PooledPerImage(predictedPatches, targetPatches, image, mask.shape[0]).mean();
                }
                else
                {
                    term = loss.PerPatch(predictedPatches, targetPatches).mean().Times(_glcmScale);
                }

                total = total.Plus(term.Times(Options.GlcmWeight));
                glcm = term.item<float>();
            }

            if (Options.FeatureWeight > 0)
            {
                var term = loss.FeatureMatchingPerPatch(predictedPatches, targetPatches).mean();
                total = total.Plus(term.Times(Options.FeatureWeight));
                features = term.item<float>();
            }
        }

        if (_ssim is not null)
        {
            // Per sample: target min-max normalised, prediction clamped to the data range then min-max normalised.
            var term = TensorMath.Minus(1.0, _ssim.MeanOfNormalised(TensorMath.WithScalars(Range.Min, Range.Max, predictedChannel.clamp), targetChannel, selected));
            total = total.Plus(term.Times(Options.SsimWeight));
            ssim = term.item<float>();
        }

        return new LossTerms(total.MoveToOuterDisposeScope(), mse, glcm, ssim, features);
    }

    // One CPU pass for both texture terms: float32 CPU tensors, the sparse GLCM's kernel, the SSIM kernel, no features.
    private bool Fused(Tensor prediction, GlcmLoss? glcm) =>
        FuseCpuTerms
        && prediction.device.type == DeviceType.CPU
        && prediction.dtype == ScalarType.Float32
        && Options.FeatureWeight == 0
        && Options.Glcm.Region == GlcmRegion.Patch
        && (glcm is null || Options.GlcmWeight == 0 || (glcm is SparseGlcmLoss sparse && sparse.UsesCpuKernel(prediction)))
        && (_ssim is null || _ssim.UseCpuKernel != false);
}
