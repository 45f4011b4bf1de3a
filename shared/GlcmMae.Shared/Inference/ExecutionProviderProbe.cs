using Microsoft.ML.OnnxRuntime;

namespace GlcmMae.Shared.Inference;

/// <summary>Finds out which ONNX Runtime execution providers work on this machine.</summary>
/// <remarks>
/// <c>OrtEnv.GetAvailableProviders()</c> lists what the binary was built with (CUDA shows up in the GPU
/// package even without a GPU), so the probe appends each provider to a throw-away session options object:
/// only that loads the provider's libraries and fails when the driver, CUDA or cuDNN are missing.
/// </remarks>
public static class ExecutionProviderProbe
{
    /// <summary>The ONNX Runtime native library version, e.g. "1.31.1".</summary>
    public static string RuntimeVersion => OrtEnv.Instance().GetVersionString();

    /// <summary>Tries every known provider and reports which are usable.</summary>
    public static IReadOnlyList<ExecutionProviderStatus> Probe()
    {
        var compiledIn = OrtEnv.Instance().GetAvailableProviders();
        return
        [
            new ExecutionProviderStatus(ExecutionProvider.Cpu, true, "built in"),
            ProbeCuda(compiledIn),
        ];
    }

    private static ExecutionProviderStatus ProbeCuda(string[] compiledIn)
    {
        if (!compiledIn.Contains("CUDAExecutionProvider", StringComparer.Ordinal))
        {
            return new ExecutionProviderStatus(
                ExecutionProvider.Cuda,
                false,
                "this ONNX Runtime build has no CUDA provider (use Microsoft.ML.OnnxRuntime.Gpu.Linux)");
        }

        try
        {
            using var options = new SessionOptions();
            options.AppendExecutionProvider_CUDA(0);
            return new ExecutionProviderStatus(ExecutionProvider.Cuda, true, "device 0");
        }
        catch (OnnxRuntimeException ex)
        {
            // The message names the missing library (libcudart, libcudnn) or the absent device: worth showing.
            return new ExecutionProviderStatus(ExecutionProvider.Cuda, false, FirstLine(ex.Message));
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? text : text[..end].TrimEnd();
    }
}
