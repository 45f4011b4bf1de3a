using System.Runtime.InteropServices;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Tests.Pipeline;
using GlcmMae.Testing;
using Microsoft.ML.OnnxRuntime;

namespace GlcmMae.Shared.Tests.Inference;

/// <summary>
/// Asking for CUDA where it cannot run serves on the CPU and says why, at every step CUDA can fail. Runs in both builds:
/// the default (no CUDA provider) and the functions image's (-p:OnnxRuntimeBackend=cuda, which build/test.sh also runs).
/// </summary>
public sealed class CudaFallbackTests : IDisposable
{
    private const string Cpu = "CPUExecutionProvider";
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Cuda_that_cannot_run_leaves_the_model_on_the_cpu_with_the_cause_and_the_remedy()
    {
        var log = new CapturingLogger<CudaFallbackTests>();
        if (!OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
        {
            using var cpuBuild = OnnxClassifierEngine.Create(Model(), new ServingOptions { ExecutionProvider = ExecutionProviderChoice.Cuda }, log);
            AssertServesOnCpu(cpuBuild, "this ONNX Runtime build has no CUDA provider");
            Assert.Contains("-p:OnnxRuntimeBackend=cuda", cpuBuild.FallbackReason, StringComparison.Ordinal);
            Assert.Equal(cpuBuild.FallbackReason, ExecutionProviderProbe.ProbeNow().Single(p => p.Provider == ExecutionProvider.Cuda).Detail);
            Assert.Contains(log.Lines, line => line.StartsWith("Warning: CUDA execution provider unavailable", StringComparison.Ordinal) && line.Contains(cpuBuild.FallbackReason!, StringComparison.Ordinal));
            return;
        }

        if (ExecutionProviderProbe.ProbeNow().Single(p => p.Provider == ExecutionProvider.Cuda).IsUsable)
        {
            // A machine with a GPU: nothing to fall back from.
            using var gpu = OnnxClassifierEngine.Create(Model(), new ServingOptions { ExecutionProvider = ExecutionProviderChoice.Cuda }, log);
            Assert.Equal("CUDAExecutionProvider", gpu.ExecutionProvider);
            return;
        }

        // The GPU build on a host without CUDA's libraries: the provider library cannot load, and the reason names the
        // first library missing instead of ONNX Runtime's "Failed to load shared library".
        using (var noLibraries = OnnxClassifierEngine.Create(Model(), new ServingOptions { ExecutionProvider = ExecutionProviderChoice.Cuda }, log))
        {
            AssertServesOnCpu(noLibraries, "the CUDA provider cannot load libcu");
            Assert.Matches(@"cannot load libcu[\w.]*\.so\.\d+; install the CUDA 13 runtime", noLibraries.FallbackReason);
        }

        // The functions image on a host that gives it no GPU: CUDA's libraries are installed, the driver's is not.
        var provider = CudaProviderDiagnosis.ProviderLibraryPath();
        Assert.NotNull(provider);
        var stubs = await CudaStubLibraries.BuildAsync(provider, _temp.Path);
        const string Driver = "libcuda.so.1";
        foreach (var stub in stubs.Where(s => Path.GetFileName(s) != Driver))
        {
            NativeLibrary.Load(stub);
        }

        using (var noDriver = OnnxClassifierEngine.Create(Model(), new ServingOptions { ExecutionProvider = ExecutionProviderChoice.Cuda }, log))
        {
            AssertServesOnCpu(noDriver, "the NVIDIA driver (libcuda.so.1) is not visible here; give this host or container a GPU");
        }

        // With the driver too, but no device that answers (or a driver that finds none): appending the provider succeeds
        // and opening the session fails.
        NativeLibrary.Load(stubs.Single(s => Path.GetFileName(s) == Driver));
        using (var noDevice = OnnxClassifierEngine.Create(Model(), new ServingOptions { ExecutionProvider = ExecutionProviderChoice.Auto }, log))
        {
            AssertServesOnCpu(noDevice, $"CUDA error {CudaStubLibraries.NoDevice}: {CudaStubLibraries.Message}; give this host or container a GPU");
            Assert.DoesNotContain("onnxruntime_src", noDevice.FallbackReason, StringComparison.Ordinal);
        }

        // The probe behind --version and /api/health opens a session too, so it no longer calls such a host's CUDA usable.
        var cuda = ExecutionProviderProbe.ProbeNow().Single(p => p.Provider == ExecutionProvider.Cuda);
        Assert.False(cuda.IsUsable);
        Assert.StartsWith($"CUDA error {CudaStubLibraries.NoDevice}", cuda.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "is not beside ONNX Runtime; publish with -p:OnnxRuntimeBackend=cuda")]
    [InlineData("/nonexistent/libonnxruntime_providers_cuda.so", "is not beside ONNX Runtime")]
    public void A_missing_provider_library_is_named_as_such(string? path, string expected)
    {
        Assert.Contains(expected, CudaProviderDiagnosis.DescribeLoadFailure(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[ErrorCode:Fail] /src/cuda_call.cc:146 CudaCall(...) CUDA failure 35: CUDA driver version is insufficient for CUDA runtime version ; GPU=0 ; hostname=h ; file=x.cc ; line=1 ; expr=cudaSetDevice(0);", "CUDA error 35: CUDA driver version is insufficient for CUDA runtime version; update the NVIDIA driver")]
    [InlineData("[ErrorCode:Fail] CUDA failure 2: out of memory ; GPU=0 ; hostname=h", "CUDA error 2: out of memory")]
    [InlineData("[ErrorCode:RuntimeException] Non-zero status code returned while running Conv node.\nmore", "Non-zero status code returned while running Conv node.")]
    public void Onnx_runtime_messages_become_one_line_without_source_locations(string message, string expected)
    {
        var described = CudaProviderDiagnosis.DescribeMessage(message);

        Assert.StartsWith(expected, described, StringComparison.Ordinal);
        Assert.DoesNotContain("hostname", described, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private static void AssertServesOnCpu(OnnxClassifierEngine engine, string reason)
    {
        Assert.Equal(Cpu, engine.ExecutionProvider);
        Assert.Contains(reason, engine.FallbackReason, StringComparison.Ordinal);
        // Threads and batching follow the provider the model landed on, not the one asked for.
        Assert.NotEqual("gpu", engine.Threads.Profile);
        Assert.False(engine.Threads.MicroBatching);
        // The graph has logits, which the engine returns; their softmax is a distribution.
        Assert.True(engine.ScoresAreLogits);
        var logits = engine.Run(new float[engine.ImageValues], 1);
        Assert.Equal(1, GlcmMae.Shared.Safety.SafetyAssessor.Softmax([.. logits.Select(l => (double)l)], 1).Sum(), 6);
    }

    private static LoadedModel Model()
    {
        var onnx = TestModels.Build(1);
        return new LoadedModel(TestModels.Manifest("fallback", "v1", onnx), onnx);
    }
}
