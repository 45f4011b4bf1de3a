using static TorchSharp.torch;

namespace GlcmMae.Trainer.Models;

/// <summary>What a masked autoencoder returns: predicted patch values (B, L, P*P*C) and the mask (B, L; 1 = removed).</summary>
internal sealed record MaeOutput(Tensor Prediction, Tensor Mask) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Prediction.Dispose();
        Mask.Dispose();
    }
}
