using GlcmMae.Shared.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace GlcmMae.Shared.Inference;

/// <summary>Finds out which ONNX Runtime execution providers work on this machine.</summary>
/// <remarks>
/// <c>OrtEnv.GetAvailableProviders()</c> lists what the binary was built with (CUDA shows up in the GPU package even
/// without a GPU), and appending the provider only loads its libraries: a host with CUDA installed but no usable device
/// fails later, when a session opens the device. So the probe opens a session on a one-node model with the provider.
/// </remarks>
public static class ExecutionProviderProbe
{
    // Opening a CUDA device costs a context (hundreds of milliseconds and some GPU memory); what a process can use does
    // not change while it runs, and /api/health/details asks on every call.
    private static readonly Lazy<IReadOnlyList<ExecutionProviderStatus>> Cached = new(ProbeNow);

    /// <summary>The ONNX Runtime native library version, e.g. "1.31.1".</summary>
    public static string RuntimeVersion => OrtEnv.Instance().GetVersionString();

    /// <summary>Every known provider and whether it is usable, probed once per process.</summary>
    public static IReadOnlyList<ExecutionProviderStatus> Probe() => Cached.Value;

    /// <summary>Tries every known provider now.</summary>
    internal static IReadOnlyList<ExecutionProviderStatus> ProbeNow()
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
            return new ExecutionProviderStatus(ExecutionProvider.Cuda, false, CudaProviderDiagnosis.NotInThisBuild);
        }

        try
        {
            using var options = new SessionOptions();
            options.AppendExecutionProvider_CUDA(0);
            using var session = new InferenceSession(OneNodeModel(), options);
            return new ExecutionProviderStatus(ExecutionProvider.Cuda, true, "device 0");
        }
        catch (OnnxRuntimeException ex)
        {
            return new ExecutionProviderStatus(ExecutionProvider.Cuda, false, CudaProviderDiagnosis.Describe(ex));
        }
    }

    private static byte[] OneNodeModel()
    {
        var graph = new OnnxGraphBuilder("probe");
        var input = graph.Input("x", 1L);
        graph.Output("y", graph.Node("Relu", [input]), 1L);
        return graph.Build(17, new Dictionary<string, string>(), "probe").ToByteArray();
    }
}
