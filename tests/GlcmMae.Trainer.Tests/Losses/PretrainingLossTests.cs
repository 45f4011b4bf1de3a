using GlcmMae.Trainer.Losses;
using GlcmMae.Trainer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Tests.Losses;

[Collection(TorchCollection.Name)]
public sealed class PretrainingLossTests
{
    [Fact]
    public void Ssim_matches_a_gaussian_convolution_reference_and_is_one_for_identical_patches()
    {
        torch.manual_seed(21);
        using var x = torch.rand([4, 16, 16], dtype: float64);
        using var y = (x * 0.7) + (torch.rand([4, 16, 16], dtype: float64) * 0.3);
        var ssim = new PatchSsim();

        using var value = ssim.PerPatch(x, y);
        using var same = ssim.PerPatch(x, x);

        Assert.True(same.sub(1).abs().max().item<double>() < 1e-9);
        using var reference = ReferenceSsim(x, y);
        Assert.True(value.sub(reference).abs().max().item<double>() < 1e-9, "matmul filter differs from conv2d");
        Assert.True(value.max().item<double>() < 1);
    }

    [Theory]
    [InlineData(16, 37)]
    [InlineData(12, 5)]
    public void Cpu_ssim_kernel_matches_the_convolution_reference_in_value_and_gradient(int size, int patches)
    {
        torch.manual_seed(23);
        // Float32 patches in [0, 1], some flat (the edge case of SSIM's constants), the rest noisy copies of the target.
        using var target = torch.rand([patches, size, size]);
        target[0].fill_(0.5f);
        using var predicted = ((target * 0.6) + (torch.rand([patches, size, size]) * 0.4)).detach().requires_grad_(true);
        var kernel = new PatchSsim { UseCpuKernel = true };

        using var value = kernel.PerPatch(predicted, target);
        using var gradient = torch.autograd.grad([value.sum()], [predicted])[0];
        using var reference64 = predicted.detach().to_type(float64).requires_grad_(true);
        using var reference = ReferenceSsim(reference64, target.to_type(float64));
        using var referenceGradient = torch.autograd.grad([reference.sum()], [reference64])[0];

        Assert.Equal([(long)patches], value.shape);
        Assert.True(value.to_type(float64).sub(reference).abs().max().item<double>() < 2e-5, "values differ");
        var scale = Math.Max(1, referenceGradient.abs().max().item<double>());
        Assert.True(gradient.to_type(float64).sub(referenceGradient).abs().max().item<double>() < 1e-4 * scale, "gradients differ");
    }

    [Fact]
    public void Cpu_normalised_ssim_matches_the_tensor_chain_in_value_and_gradient()
    {
        torch.manual_seed(24);
        // Three samples of six 16 x 16 patches: one nearly flat (its range is below the clamp), one whose extremes are
        // tied across several pixels (the gradient of min and max is shared), one plain.
        using var target = torch.rand([3, 6, 16, 16]);
        target[1].clamp_(0.2, 0.8);
        using var raw = (target * 0.5) + (torch.rand([3, 6, 16, 16]) * 0.6) - 0.05;
        raw[0].fill_(0f);
        raw[0, 2, 5, 5] = torch.tensor(5e-9f);
        using var predicted = raw.detach().requires_grad_(true);
        using var selected = torch.tensor(new long[] { 0, 2, 3, 7, 8, 11, 13, 14, 17 });
        var tensors = new PatchSsim { UseCpuKernel = false };
        var kernel = new PatchSsim { UseCpuKernel = true };

        using var expected = tensors.MeanOfNormalised(predicted.clamp(0, 1), target, selected);
        using var expectedGradient = torch.autograd.grad([expected], [predicted])[0];
        using var actual = kernel.MeanOfNormalised(predicted.clamp(0, 1), target, selected);
        using var actualGradient = torch.autograd.grad([actual], [predicted])[0];

        Assert.Equal(expected.item<float>(), actual.item<float>(), 5);
        var scale = Math.Max(1e-3, expectedGradient.abs().max().item<float>());
        using var difference = (expectedGradient - actualGradient).abs().max();
        Assert.True(difference.item<float>() < 1e-4 * scale, $"gradients differ by {difference.item<float>()} (largest {scale})");
        Assert.True(actualGradient[2].abs().sum().item<float>() > 0, "the plain sample receives a gradient");
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(3, null)]
    [InlineData(1, 12.0)]
    public void One_cpu_pass_for_both_texture_terms_equals_the_terms_computed_apart(int channels, double? sharpness)
    {
        torch.manual_seed(25);
        // Two 32 x 32 images (four 16 px patches each); predictions partly outside [0, 1], and one exactly at each end,
        // so the clamp's gradient mask (ends included) is exercised.
        using var images = torch.rand([2, channels, 32, 32]);
        using var raw = PatchLayout.Patchify(images, 16) + (torch.randn([2, 4, 256 * channels]) * 0.3);
        raw[0, 0, 0] = torch.tensor(0f);
        raw[0, 0, 3] = torch.tensor(1f);
        using var mask = torch.tensor(new float[] { 1, 0, 1, 1, 0, 1, 1, 0 }, [2, 4]);
        var options = new PretrainingLossOptions { SsimWeight = 0.7, GlcmWeight = 1.3, Glcm = new GlcmLossOptions { Bins = 64 } };
        var apart = new PretrainingLoss(options, DataRange.Unit, 16, channels) { FuseCpuTerms = false };
        var fused = new PretrainingLoss(options, DataRange.Unit, 16, channels);

        using var expectedPrediction = raw.detach().requires_grad_(true);
        using var expected = apart.Compute(images, expectedPrediction, mask, sharpness);
        using var expectedGradient = torch.autograd.grad([expected.Total], [expectedPrediction])[0];
        using var actualPrediction = raw.detach().requires_grad_(true);
        using var actual = fused.Compute(images, actualPrediction, mask, sharpness);
        using var actualGradient = torch.autograd.grad([actual.Total], [actualPrediction])[0];

        Assert.Equal(expected.Glcm, actual.Glcm, 1e-6 * Math.Max(1, expected.Glcm));
        Assert.Equal(expected.Ssim, actual.Ssim, 1e-6);
        Assert.Equal(expected.Mse, actual.Mse);
        Assert.Equal(expected.Total.item<float>(), actual.Total.item<float>(), 1e-5);
        var scale = expectedGradient.abs().max().item<float>();
        using var difference = (expectedGradient - actualGradient).abs().max();
        Assert.True(difference.item<float>() <= 1e-5 * scale, $"gradients differ by {difference.item<float>()} (largest {scale})");
        Assert.True(scale > 0);
    }

    [Fact]
    public void Zero_weights_skip_their_terms_and_the_total_is_the_weighted_sum()
    {
        torch.manual_seed(22);
        using var images = torch.rand([2, 1, 32, 32]);
        using var prediction = PatchLayout.Patchify(images, 16) + (torch.randn([2, 4, 256]) * 0.1);
        using var mask = torch.tensor(new float[] { 1, 0, 1, 1, 0, 1, 1, 0 }, [2, 4]);

        using var mseOnly = new PretrainingLoss(PretrainingLossOptions.MseOnly, DataRange.Unit, 16, 1).Compute(images, prediction, mask);
        using var full = new PretrainingLoss(new PretrainingLossOptions(), DataRange.Unit, 16, 1).Compute(images, prediction, mask);

        Assert.True(double.IsNaN(mseOnly.Glcm) && double.IsNaN(mseOnly.Ssim));
        Assert.Equal(mseOnly.Mse, full.Mse, 6);
        Assert.Equal(full.Glcm + full.Ssim + (0.1 * full.Mse), full.Total.item<float>(), 4);
        Assert.True(full.Glcm > 0 && full.Ssim > 0);
    }

    [Theory]
    [InlineData(256, 16, true)]
    [InlineData(16, 16, true)]
    [InlineData(16, 8, true)]
    [InlineData(16, 16, false)]
    public void Pixel_normalisation_scales_the_glcm_term_by_bins_squared_over_pixels_squared(int bins, int patch, bool fused)
    {
        torch.manual_seed(23);
        using var images = torch.rand([2, 1, 2 * patch, 2 * patch]);
        using var raw = PatchLayout.Patchify(images, patch) + (torch.randn([2, 4, patch * patch]) * 0.2);
        using var mask = torch.tensor(new float[] { 1, 0, 1, 1, 0, 1, 1, 0 }, [2, 4]);
        var cells = new PretrainingLossOptions { MseWeight = 0, SsimWeight = 0, GlcmWeight = 0.5, Glcm = new GlcmLossOptions { Bins = bins } };
        var pixels = cells with { Glcm = cells.Glcm with { Normalisation = GlcmNormalisation.Pixels } };
        var factor = (double)bins * bins / Math.Pow(patch, 4);

        using var methodPrediction = raw.detach().requires_grad_(true);
        using var method = new PretrainingLoss(cells, DataRange.Unit, patch, 1) { FuseCpuTerms = fused }.Compute(images, methodPrediction, mask);
        using var methodGradient = torch.autograd.grad([method.Total], [methodPrediction])[0];
        using var normalisedPrediction = raw.detach().requires_grad_(true);
        using var normalised = new PretrainingLoss(pixels, DataRange.Unit, patch, 1) { FuseCpuTerms = fused }.Compute(images, normalisedPrediction, mask);
        using var normalisedGradient = torch.autograd.grad([normalised.Total], [normalisedPrediction])[0];

        // The reported value, the weighted total and the GLCM gradient all carry the factor; at 256 bins and 16 px it is 1.
        Assert.Equal(method.Glcm * factor, normalised.Glcm, 1e-6 * Math.Max(1, normalised.Glcm));
        Assert.Equal(0.5 * normalised.Glcm, normalised.Total.item<float>(), 1e-5 * Math.Max(1, normalised.Glcm));
        using var expectedGradient = methodGradient * factor;
        using var difference = (expectedGradient - normalisedGradient).abs().max();
        Assert.True(difference.item<float>() <= 1e-5 * Math.Max(1e-12, expectedGradient.abs().max().item<float>()), $"gradients differ by {difference.item<float>()}");
        Assert.Equal(bins == 256 && patch == 16 ? 1.0 : factor, pixels.Glcm.NormalisationFactor(patch * patch));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_pooled_glcm_over_one_masked_patch_per_image_is_the_per_patch_term(bool pixelNormalised)
    {
        var normalisation = pixelNormalised ? GlcmNormalisation.Pixels : GlcmNormalisation.Cells;
        torch.manual_seed(26);
        using var images = torch.rand([3, 1, 32, 32]);
        using var prediction = PatchLayout.Patchify(images, 16) + (torch.randn([3, 4, 256]) * 0.2);
        using var mask = torch.tensor(new float[] { 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1 }, [3, 4]);
        var patch = new PretrainingLossOptions { MseWeight = 0, SsimWeight = 0, Glcm = new GlcmLossOptions { Bins = 16, Normalisation = normalisation } };
        var image = patch with { Glcm = patch.Glcm with { Region = GlcmRegion.Image } };

        using var perPatch = new PretrainingLoss(patch, DataRange.Unit, 16, 1).Compute(images, prediction, mask);
        using var pooled = new PretrainingLoss(image, DataRange.Unit, 16, 1).Compute(images, prediction, mask);

        Assert.Equal(perPatch.Glcm, pooled.Glcm, 1e-6 * Math.Max(1, perPatch.Glcm));
        Assert.True(pooled.Glcm > 0);
    }

    [Fact]
    public void A_pooled_glcm_sums_the_soft_counts_of_an_images_masked_patches_and_skips_images_without_any()
    {
        torch.manual_seed(27);
        using var images = torch.rand([2, 1, 32, 32]);
        using var raw = PatchLayout.Patchify(images, 16) + (torch.randn([2, 4, 256]) * 0.2);
        // Image 0: patches 0 and 3 masked; image 1: none, so it is left out of the mean.
        using var mask = torch.tensor(new float[] { 1, 0, 0, 1, 0, 0, 0, 0 }, [2, 4]);
        var glcm = new GlcmLossOptions { Bins = 8, Region = GlcmRegion.Image, Normalisation = GlcmNormalisation.Pixels };
        var options = new PretrainingLossOptions { MseWeight = 0, SsimWeight = 0, Glcm = glcm };
        using var prediction = raw.detach().requires_grad_(true);

        using var terms = new PretrainingLoss(options, DataRange.Unit, 16, 1).Compute(images, prediction, mask);
        using var gradient = torch.autograd.grad([terms.Total], [prediction])[0];

        // By hand: the two patches' matrices summed, f(G) on the sums, the mean squared difference, times K^2 / (2 x 256)^2.
        var direct = new DirectGlcmLoss(glcm, DataRange.Unit);
        using var predictedPatches = raw[0].index_select(0, torch.tensor(new long[] { 0, 3 })).reshape(2, 16, 16).clamp(0, 1);
        using var targetPatches = PatchLayout.Patchify(images, 16)[0].index_select(0, torch.tensor(new long[] { 0, 3 })).reshape(2, 16, 16);
        using var predicted = direct.Matrices(predictedPatches).sum([0]);
        using var target = direct.Matrices(targetPatches).sum([0]);
        using var f = SoftGlcm.ScaleTransform(predicted, predicted.sum([-2, -1], keepdim: true)) - SoftGlcm.ScaleTransform(target, target.sum([-2, -1], keepdim: true));
        var expected = f.square().mean().item<float>() * 64.0 / (512.0 * 512.0);
        Assert.Equal(expected, terms.Glcm, 1e-6 * Math.Max(1, expected));
        using var imageOneGradient = gradient[1].abs().sum();
        using var imageZeroGradient = gradient[0].abs().sum();
        Assert.Equal(0f, imageOneGradient.item<float>());
        Assert.True(imageZeroGradient.item<float>() > 0 && float.IsFinite(imageZeroGradient.item<float>()));
    }

    [Fact]
    public void Masked_mse_averages_masked_patches_only_and_norm_pix_normalises_targets()
    {
        using var prediction = torch.zeros([1, 2, 4]);
        using var target = torch.tensor(new float[] { 1, 1, 1, 1, 2, 2, 2, 2 }, [1, 2, 4]);
        using var mask = torch.tensor(new float[] { 0, 1 }, [1, 2]);

        using var perPatch = MaskedMse.PerPatch(prediction, target, normalisePixels: false);
        using var masked = MaskedMse.MaskedMean(perPatch, mask);

        Assert.Equal(4f, masked.item<float>());
        using var normalised = MaskedMse.PerPatch(prediction, target, normalisePixels: true);
        Assert.Equal(0f, normalised.sum().item<float>(), 5);
    }

    private static Tensor ReferenceSsim(Tensor x, Tensor y)
    {
        var g = Enumerable.Range(0, 11).Select(i => Math.Exp(-Math.Pow(i - 5, 2) / (2 * 1.5 * 1.5))).ToArray();
        var sum = g.Sum();
        var window = torch.tensor((from a in g from b in g select a * b / (sum * sum)).ToArray(), [1, 1, 11, 11], dtype: float64);
        Tensor F(Tensor t) => nn.functional.conv2d(t.unsqueeze(1), window);
        var mx = F(x);
        var my = F(y);
        var sx = F(x * x) - mx.square();
        var sy = F(y * y) - my.square();
        var sxy = F(x * y) - (mx * my);
        var map = ((2 * mx * my) + 1e-4) * ((2 * sxy) + 9e-4) / ((mx.square() + my.square() + 1e-4) * (sx + sy + 9e-4));
        return map.mean([1, 2, 3]);
    }
}
