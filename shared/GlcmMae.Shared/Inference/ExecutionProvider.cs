namespace GlcmMae.Shared.Inference;

/// <summary>ONNX Runtime execution providers GlcmMae knows how to use.</summary>
public enum ExecutionProvider
{
    /// <summary>The default CPU provider; always usable.</summary>
    Cpu,

    /// <summary>NVIDIA CUDA (needs a GPU, CUDA 13 and cuDNN 9 at run time).</summary>
    Cuda,
}
