using GlcmMae.Shared.Inference;

namespace GlcmMae.Shared.Tests.Inference;

public sealed class ExecutionProviderProbeTests
{
    [Fact]
    public void Cpu_provider_is_always_usable()
    {
        var cpu = Assert.Single(ExecutionProviderProbe.Probe(), p => p.Provider == ExecutionProvider.Cpu);

        Assert.True(cpu.IsUsable);
    }

    [Fact]
    public void Cuda_provider_is_reported_unusable_with_a_reason_in_the_cpu_build()
    {
        var cuda = Assert.Single(ExecutionProviderProbe.Probe(), p => p.Provider == ExecutionProvider.Cuda);

        Assert.False(cuda.IsUsable);
        Assert.Contains("CUDA", cuda.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Runtime_version_is_the_pinned_onnx_runtime()
    {
        Assert.StartsWith("1.31", ExecutionProviderProbe.RuntimeVersion, StringComparison.Ordinal);
    }
}
