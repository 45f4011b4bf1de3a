using System.Runtime.InteropServices;
using GlcmMae.Trainer.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Losses;

/// <summary>SSIM of predicted and target patches as the method's code computes it: 11x11 Gaussian window (sigma 1.5), no padding, data range 1.</summary>
internal sealed class PatchSsim
{
    private const double K1 = 0.01;
    private const double K2 = 0.03;
    private readonly double[] _window;

    // The CPU kernels compute in float32, as libtorch does for float32 patches.
    private readonly float[] _singleWindow;

    public PatchSsim(int windowSize = 11, double sigma = 1.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        WindowSize = windowSize;
        var oneD = Enumerable.Range(0, windowSize).Select(i => Math.Exp(-Math.Pow(i - ((windowSize - 1) / 2.0), 2) / (2 * sigma * sigma))).ToArray();
        var total = oneD.Sum();
        _window = [.. oneD.Select(v => v / total)];
        _singleWindow = [.. _window.Select(v => (float)v)];
    }

    /// <summary>Side of the Gaussian window.</summary>
    public int WindowSize { get; }

    /// <summary>Use the CPU kernel (true), the tensor form (false), or pick: the kernel for square float32 CPU patches (null).</summary>
    public bool? UseCpuKernel { get; init; }

    /// <summary>Mean SSIM of each pair of single-channel patches (N, P, P) whose values lie in [0, 1]: (N).</summary>
    /// <remarks>The gradient flows to the predicted patches; targets are data.</remarks>
    public Tensor PerPatch(Tensor predicted, Tensor target)
    {
        RequireWindowFits(predicted);
        return UsesCpuKernel(predicted) ? PerPatchOnCpu(predicted, target) : PerPatchWithTensors(predicted, target);
    }

    /// <summary>Mean SSIM over the selected patches after min-max normalising each sample: the pretraining term's form.</summary>
    /// <param name="predicted">Predicted patches (B, L, P, P), clamped to the data range; the gradient flows to them.</param>
    /// <param name="target">Target patches (B, L, P, P).</param>
    /// <param name="selected">Indices of the compared (masked) patches in the flattened (B L) axis.</param>
    public Tensor MeanOfNormalised(Tensor predicted, Tensor target, Tensor selected)
    {
        RequireWindowFits(predicted);
        if (!UsesCpuKernel(predicted))
        {
            using var tensors = torch.NewDisposeScope();
            var predictedNormal = NormalisePerSample(predicted).flatten(0, 1).index_select(0, selected);
            var targetNormal = NormalisePerSample(target).flatten(0, 1).index_select(0, selected);
            return PerPatch(predictedNormal, targetNormal).mean().MoveToOuterDisposeScope();
        }

        using var scope = torch.NewDisposeScope();
        var samples = (int)predicted.shape[0];
        var size = (int)predicted.shape[^1];
        var x = MemoryMarshal.Cast<byte, float>(predicted.detach().to_type(ScalarType.Float32).contiguous().bytes);
        var y = MemoryMarshal.Cast<byte, float>(target.detach().to_type(ScalarType.Float32).contiguous().bytes);
        var indices = MemoryMarshal.Cast<byte, long>(selected.to_type(ScalarType.Int64).cpu().contiguous().bytes);
        var slope = torch.empty(predicted.shape, ScalarType.Float32);
        var mean = MeanOfNormalisedOnCpu(x, y, MemoryMarshal.Cast<byte, float>(slope.bytes), samples, size, indices);
        var value = torch.tensor(mean, dtype: predicted.dtype);
        if (!predicted.requires_grad)
        {
            return value.MoveToOuterDisposeScope();
        }

        var linear = (predicted * slope.to_type(predicted.dtype)).sum();
        return value.Plus(linear).sub(linear.detach()).MoveToOuterDisposeScope();
    }

    /// <summary>The kernel's values, with its gradient attached straight-through: value + (x . g - stop(x . g)).</summary>
    private Tensor PerPatchOnCpu(Tensor predicted, Tensor target)
    {
        using var scope = torch.NewDisposeScope();
        var patches = (int)predicted.shape[0];
        var size = (int)predicted.shape[^1];
        var length = patches * size * size;
        // Pixel-major copies, so that the kernel's every operation runs across all patches at once.
        var x = MemoryMarshal.Cast<byte, float>(predicted.detach().to_type(ScalarType.Float32).permute(1, 2, 0).contiguous().bytes);
        var y = MemoryMarshal.Cast<byte, float>(target.detach().to_type(ScalarType.Float32).permute(1, 2, 0).contiguous().bytes);
        var slope = torch.empty([size, size, patches], ScalarType.Float32);
        var values = CpuPatchSsimKernel.Evaluate(x[..length], y[..length], MemoryMarshal.Cast<byte, float>(slope.bytes), size, patches, _singleWindow);
        var perPatch = torch.tensor(values, [patches]).to_type(predicted.dtype);
        if (!predicted.requires_grad)
        {
            return perPatch.MoveToOuterDisposeScope();
        }

        var linear = (predicted * slope.permute(2, 0, 1).to_type(predicted.dtype)).sum([1, 2]);
        return perPatch.Plus(linear).sub(linear.detach()).MoveToOuterDisposeScope();
    }

    /// <summary>The CPU kernel of <see cref="MeanOfNormalised"/> on pixel arrays (B, L, P, P): the mean; fills d(mean)/d(predicted pixel).</summary>
    public double MeanOfNormalisedOnCpu(ReadOnlySpan<float> predicted, ReadOnlySpan<float> target, Span<float> gradient, int samples, int size, ReadOnlySpan<long> selected)
    {
        RequireWindowFits(size, size);
        return CpuNormalisedSsimKernel.EvaluateMean(predicted, target, gradient, samples, size, selected, _singleWindow);
    }

    /// <summary>True when patches like <paramref name="patches"/> go to the CPU kernels: unless told otherwise, square float32 patches on the CPU.</summary>
    public bool UsesCpuKernel(Tensor patches) =>
        UseCpuKernel ?? (patches.shape[^1] == patches.shape[^2] && patches.device.type == DeviceType.CPU && patches.dtype == ScalarType.Float32);

    private void RequireWindowFits(Tensor patches) => RequireWindowFits(patches.shape[^2], patches.shape[^1]);

    private void RequireWindowFits(long height, long width)
    {
        if (height < WindowSize || width < WindowSize)
        {
            throw new ArgumentException($"SSIM needs patches of at least {WindowSize}x{WindowSize} pixels (the window is not padded).");
        }
    }

    private Tensor PerPatchWithTensors(Tensor predicted, Tensor target)
    {
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
        var sigmaX = Filter(x * x) - muX.Squared();
        var sigmaY = Filter(y * y) - muY.Squared();
        var sigmaXy = Filter(x * y) - (muX * muY);
        const double c1 = K1 * K1;
        const double c2 = K2 * K2;
        var numerator = muX.Times(2.0).mul(muY).Plus(c1) * sigmaXy.Times(2.0).Plus(c2);
        var map = numerator / (muX.Squared().Plus(muY.Squared()).Plus(c1) * sigmaX.Plus(sigmaY).Plus(c2));
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
        var scaled = (flat - low) / TensorMath.WithScalar(1e-8, floor => (high - low).clamp_min(floor));
        return scaled.view(values.shape).MoveToOuterDisposeScope();
    }
}
