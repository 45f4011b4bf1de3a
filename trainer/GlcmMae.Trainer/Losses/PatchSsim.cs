using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Losses;

/// <summary>SSIM of predicted and target patches as the method's code computes it: 11x11 Gaussian window (sigma 1.5), no padding, data range 1.</summary>
internal sealed class PatchSsim
{
    private const double K1 = 0.01;
    private const double K2 = 0.03;
    private readonly double[] _window;

    public PatchSsim(int windowSize = 11, double sigma = 1.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        WindowSize = windowSize;
        var oneD = Enumerable.Range(0, windowSize).Select(i => Math.Exp(-Math.Pow(i - ((windowSize - 1) / 2.0), 2) / (2 * sigma * sigma))).ToArray();
        var total = oneD.Sum();
        _window = [.. oneD.Select(v => v / total)];
    }

    /// <summary>Side of the Gaussian window.</summary>
    public int WindowSize { get; }

    /// <summary>Mean SSIM of each pair of single-channel patches (N, P, P) whose values lie in [0, 1]: (N).</summary>
    public Tensor PerPatch(Tensor predicted, Tensor target)
    {
        if (predicted.shape[^1] < WindowSize || predicted.shape[^2] < WindowSize)
        {
            throw new ArgumentException($"SSIM needs patches of at least {WindowSize}x{WindowSize} pixels (the window is not padded).");
        }

        using var scope = torch.NewDisposeScope();
        // The Gaussian is separable and the patches are small, so the valid 2-D filter is A X A^T with A the
        // (P - w + 1) x P banded matrix of the 1-D window: two batched matmuls instead of a convolution.
        var rows = Band(predicted.shape[^2], predicted.dtype, predicted.device);
        var columns = Band(predicted.shape[^1], predicted.dtype, predicted.device);
        var x = predicted;
        var y = target;
        Tensor Filter(Tensor t) => torch.matmul(torch.matmul(rows, t), columns.t());
        var muX = Filter(x);
        var muY = Filter(y);
        var sigmaX = Filter(x * x) - muX.square();
        var sigmaY = Filter(y * y) - muY.square();
        var sigmaXy = Filter(x * y) - (muX * muY);
        const double c1 = K1 * K1;
        const double c2 = K2 * K2;
        var map = ((2 * muX * muY) + c1) * ((2 * sigmaXy) + c2) / ((muX.square() + muY.square() + c1) * (sigmaX + sigmaY + c2));
        return map.mean([1, 2]).MoveToOuterDisposeScope();
    }

    private Tensor Band(long size, ScalarType dtype, Device device)
    {
        var outputs = size - WindowSize + 1;
        var band = new double[outputs * size];
        for (var i = 0; i < outputs; i++)
        {
            _window.CopyTo(band, (i * size) + i);
        }

        return torch.tensor(band, [outputs, size], dtype: dtype, device: device);
    }

    /// <summary>Min-max normalises each sample (B, ...) to [0, 1] over all its values; flat samples become 0.</summary>
    public static Tensor NormalisePerSample(Tensor values)
    {
        using var scope = torch.NewDisposeScope();
        var flat = values.flatten(1);
        var low = flat.amin([1], keepdim: true);
        var high = flat.amax([1], keepdim: true);
        var scaled = (flat - low) / (high - low).clamp_min(1e-8);
        return scaled.view(values.shape).MoveToOuterDisposeScope();
    }
}
