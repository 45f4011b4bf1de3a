using GlcmMae.Shared.Texture;
using GlcmMae.Trainer.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Tests.Losses;

[Collection(TorchCollection.Name)]
public sealed class SoftGlcmTests
{
    [Fact]
    public void Memberships_sum_to_one_across_bins_over_the_whole_range()
    {
        using var values = torch.linspace(-1.0, 1.0, 1001, dtype: float64);

        using var memberships = SoftGlcm.Memberships(values, bins: 16, new DataRange(-1, 1), sharpness: 30);

        using var sums = memberships.sum(-1);
        Assert.True(sums.sub(1).abs().max().item<double>() < 1e-6, $"max deviation {sums.sub(1).abs().max().item<double>()}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Soft_glcm_approaches_the_counting_glcm_as_sharpness_grows(bool horizontal)
    {
        const int bins = 8;
        torch.manual_seed(3);
        // Values at random bin centres, so that no pixel sits on a bin edge.
        using var levels = torch.randint(0, bins, [1, 1, 16, 16], dtype: int64);
        using var patches = levels.to_type(float64).add(0.5).div(bins);
        var image = patches.reshape(-1).to_type(float32).data<float>().ToArray();
        var offset = horizontal ? GlcmOffset.Horizontal : GlcmOffset.Vertical;
        var hard = GrayLevelCooccurrence.Count(image, 16, 16, offset, new GrayLevelQuantizer(bins, 0, 1));

        double Error(double sharpness)
        {
            using var soft = SoftGlcm.Cooccurrence(patches, offset, bins, DataRange.Unit, sharpness).reshape(bins * bins);
            var values = soft.data<double>().ToArray();
            return values.Select((v, i) => Math.Abs(v - hard.Counts[i])).Max();
        }

        Assert.Equal(240, hard.Total);
        Assert.True(Error(100) < Error(5), "error should shrink as L grows");
        Assert.True(Error(100) < 1e-6, $"error at L = 100: {Error(100)}");
    }

    [Fact]
    public void Gradients_match_finite_differences_in_float64()
    {
        torch.manual_seed(5);
        using var patches = torch.rand([1, 1, 4, 4], dtype: float64).requires_grad_(true);
        Tensor Objective(Tensor p) => SoftGlcm.Cooccurrence(p, GlcmOffset.Horizontal, 4, DataRange.Unit, 5).square().sum();

        using var value = Objective(patches);
        value.backward();
        var analytic = patches.grad!.reshape(-1).data<double>().ToArray();

        using var noGrad = torch.no_grad();
        var baseline = patches.detach().clone();
        const double h = 1e-6;
        for (var i = 0; i < 16; i++)
        {
            using var plus = baseline.clone();
            using var minus = baseline.clone();
            plus.view(-1)[i] += h;
            minus.view(-1)[i] -= h;
            var numeric = (Objective(plus).item<double>() - Objective(minus).item<double>()) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) < 1e-5 * Math.Max(1, Math.Abs(numeric)), $"element {i}: numeric {numeric}, analytic {analytic[i]}");
        }
    }
}
