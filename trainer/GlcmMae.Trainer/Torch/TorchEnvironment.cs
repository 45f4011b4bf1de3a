using TorchSharp;

namespace GlcmMae.Trainer.Torch;

/// <summary>What the loaded TorchSharp/libtorch can use on this machine.</summary>
internal static class TorchEnvironment
{
    /// <summary>The TorchSharp managed assembly version.</summary>
    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>The native libtorch version (loading it on first use).</summary>
    public static string LibTorchVersion => torch.__version__;

    /// <summary>Number of CUDA devices libtorch can see (0 on CPU builds).</summary>
    public static int CudaDeviceCount => torch.cuda.is_available() ? torch.cuda.device_count() : 0;

    /// <summary>True when cuDNN is usable as well.</summary>
    public static bool CudnnAvailable => torch.cuda.is_available() && torch.cuda.is_cudnn_available();

    /// <summary>Intra-op CPU threads libtorch uses.</summary>
    public static int CpuThreads => torch.get_num_threads();

    /// <summary>The device to train on: the first CUDA device when present, otherwise the CPU.</summary>
    public static torch.Device DefaultDevice => CudaDeviceCount > 0 ? torch.CUDA : torch.CPU;

    /// <summary>Sets libtorch's intra-op threads when a count is given.</summary>
    public static void ApplyThreads(int? threads)
    {
        if (threads is { } count)
        {
            torch.set_num_threads(count);
        }
    }

    /// <summary>Resolves <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> to a device, failing clearly when CUDA is asked for but absent.</summary>
    public static torch.Device ResolveDevice(string? name)
    {
        var text = string.IsNullOrWhiteSpace(name) ? "auto" : name.Trim().ToLowerInvariant();
        if (text == "auto")
        {
            return DefaultDevice;
        }

        if (text.StartsWith("cuda", StringComparison.Ordinal) && CudaDeviceCount == 0)
        {
            throw new TrainingException("CudaUnavailable", $"Device '{name}' was asked for but libtorch sees no CUDA device; this build or machine is CPU-only. Use --device cpu or the CUDA trainer image.");
        }

        return torch.device(text);
    }
}
