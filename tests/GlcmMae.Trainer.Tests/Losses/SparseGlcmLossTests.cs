using GlcmMae.Shared.Texture;
using GlcmMae.Trainer.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Tests.Losses;

[Collection(TorchCollection.Name)]
public sealed class SparseGlcmLossTests
{
    private static readonly DataRange Range = new(-1.5, 2.0);

    public static TheoryData<int, double, bool, string, bool> Settings => new()
    {
        { 256, 30, true, "h,v", true },
        { 256, 30, true, "h,v", false },
        { 256, 30, false, "h,v", true },
        { 256, 30, false, "h,v", false },
        { 64, 5, true, "h,v", true },
        { 64, 5, true, "h,v", false },
        { 32, 15, true, "h,v,d2:45,d3:135", true },
        { 32, 15, true, "h,v,d2:45,d3:135", false },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Sparse_and_direct_forms_agree_in_value_and_gradient(int bins, double sharpness, bool scale, string offsets, bool cpuKernel)
    {
        var options = new GlcmLossOptions { Bins = bins, Sharpness = sharpness, Scale = scale, Offsets = ParseOffsets(offsets) };
        torch.manual_seed(11);
        // Values beyond the range on purpose: predictions are clamped, so edge bins and reflection terms are exercised.
        using var predicted = torch.rand([6, 16, 16]).mul(4.0).sub(2.0).requires_grad_(true);
        using var target = torch.rand([6, 16, 16]).mul(3.5).sub(1.5);

        using var direct = GlcmLoss.Create(options with { Formulation = GlcmFormulation.Direct }, Range).PerPatch(predicted, target);
        using var directGrad = torch.autograd.grad([direct.sum()], [predicted])[0];
        using var sparse = new SparseGlcmLoss(options, Range) { UseCpuKernel = cpuKernel }.PerPatch(predicted, target);
        using var sparseGrad = torch.autograd.grad([sparse.sum()], [predicted])[0];

        Assert.Equal([6L], sparse.shape);
        Assert.True(direct.min().item<float>() > 0, "random textures should differ");
        AssertClose(direct, sparse, 1e-5, "loss");
        AssertClose(directGrad, sparseGrad, 1e-5 * Math.Max(1, directGrad.abs().max().item<float>()), "gradient");
    }

    [Fact]
    public void Sparse_and_direct_texture_features_agree()
    {
        var options = new GlcmLossOptions { Bins = 64 };
        torch.manual_seed(12);
        using var patches = torch.rand([5, 16, 16]).mul(3.5).sub(1.5);

        using var direct = GlcmLoss.Create(options with { Formulation = GlcmFormulation.Direct }, Range).FeaturesPerPatch(patches);
        using var sparse = GlcmLoss.Create(options, Range).FeaturesPerPatch(patches);

        Assert.Equal([5L, 2L, GlcmLoss.FeatureCount], sparse.shape);
        AssertClose(direct, sparse, 1e-5, "features");
    }

    [Fact]
    public void Soft_features_approach_the_counting_glcm_features()
    {
        const int bins = 16;
        torch.manual_seed(13);
        using var levels = torch.randint(0, bins, [1, 16, 16], dtype: int64);
        using var patch = levels.to_type(float32).add(0.5f).div(bins);
        var hard = GlcmFeatures.From(GrayLevelCooccurrence.Count(
            patch.reshape(-1).data<float>().ToArray(), 16, 16, GlcmOffset.Horizontal, new GrayLevelQuantizer(bins, 0, 1)));
        var loss = GlcmLoss.Create(new GlcmLossOptions { Bins = bins, Sharpness = 60, Offsets = [GlcmOffset.Horizontal] }, DataRange.Unit);

        using var soft = loss.FeaturesPerPatch(patch);
        var f = soft.reshape(-1).data<float>().ToArray();

        Assert.Equal(hard.Contrast / ((bins - 1) * (bins - 1)), f[0], 4);
        Assert.Equal(hard.Correlation, f[1], 4);
        Assert.Equal(hard.Homogeneity, f[2], 4);
        Assert.Equal(hard.Energy, f[3], 4);
        Assert.Equal(hard.Entropy * Math.Log(2) / Math.Log(bins * bins), f[4], 4);
    }

    [Fact]
    public void Loss_is_zero_for_identical_inputs_and_grows_with_texture_difference()
    {
        var loss = GlcmLoss.Create(new GlcmLossOptions(), DataRange.Unit);
        torch.manual_seed(14);
        using var smooth = torch.linspace(0.3, 0.7, 256).reshape(1, 16, 16);
        using var noise = torch.rand([1, 16, 16]);
        using var mild = (smooth * 0.8) + (noise * 0.2);
        using var strong = (smooth * 0.2) + (noise * 0.8);

        using var same = loss.PerPatch(smooth, smooth);
        using var near = loss.PerPatch(mild, smooth);
        using var far = loss.PerPatch(strong, smooth);

        Assert.Equal(0f, same.item<float>());
        Assert.True(near.item<float>() > 0);
        Assert.True(far.item<float>() > near.item<float>(), $"near {near.item<float>()}, far {far.item<float>()}");
    }

    [Fact]
    public void Sparse_gradient_matches_finite_differences_in_float64()
    {
        var loss = GlcmLoss.Create(new GlcmLossOptions { Bins = 8, Sharpness = 5, Offsets = [GlcmOffset.Horizontal, GlcmOffset.Vertical] }, DataRange.Unit);
        torch.manual_seed(15);
        using var predicted = torch.rand([1, 5, 5], dtype: float64).mul(0.9).add(0.05).requires_grad_(true);
        using var target = torch.rand([1, 5, 5], dtype: float64);

        using var value = loss.PerPatch(predicted, target).sum();
        value.backward();
        var analytic = predicted.grad!.reshape(-1).data<double>().ToArray();

        using var noGrad = torch.no_grad();
        const double h = 1e-6;
        for (var i = 0; i < 25; i++)
        {
            using var plus = predicted.detach().clone();
            using var minus = predicted.detach().clone();
            plus.view(-1)[i] += h;
            minus.view(-1)[i] -= h;
            var numeric = (loss.PerPatch(plus, target).item<double>() - loss.PerPatch(minus, target).item<double>()) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) < 1e-6 * Math.Max(1, Math.Abs(numeric)), $"element {i}: numeric {numeric}, analytic {analytic[i]}");
        }
    }

    [Theory]
    [InlineData(30, 1)]
    [InlineData(15, 2)]
    [InlineData(5, 5)]
    public void Reach_keeps_every_bin_above_the_tolerance(double sharpness, int reach) =>
        Assert.Equal(reach, SparseGlcmLoss.ReachFor(sharpness, 1e-10));

    private static GlcmOffset[] ParseOffsets(string text) => text.Split(',').Select(t => t switch
    {
        "h" => GlcmOffset.Horizontal,
        "v" => GlcmOffset.Vertical,
        _ => GlcmOffset.FromAngle(int.Parse(t[1..t.IndexOf(':')], System.Globalization.CultureInfo.InvariantCulture), int.Parse(t[(t.IndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)),
    }).ToArray();

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        using var difference = (expected - actual).abs().max();
        var value = difference.item<float>();
        Assert.True(value < tolerance, $"{what}: max difference {value} (tolerance {tolerance})");
    }
}
