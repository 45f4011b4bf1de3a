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
