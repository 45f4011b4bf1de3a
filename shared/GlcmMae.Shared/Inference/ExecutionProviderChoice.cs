namespace GlcmMae.Shared.Inference;

/// <summary>Where a host asks ONNX Runtime to run a model (<c>Inference:ExecutionProvider</c>, <c>--execution-provider</c>).</summary>
public enum ExecutionProviderChoice
{
    /// <summary>CUDA when it works, else the CPU with a warning that says why.</summary>
    Auto,

    /// <summary>CUDA; a host that cannot open it still serves on the CPU, with the same warning, rather than not at all.</summary>
    Cuda,

    /// <summary>The CPU only.</summary>
    Cpu,
}
