using static TorchSharp.torch;

namespace GlcmMae.Trainer.Losses;

/// <summary>The weighted total to back-propagate and each term's unweighted value (NaN when the term is off).</summary>
internal sealed record LossTerms(Tensor Total, double Mse, double Glcm, double Ssim, double Features) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Total.Dispose();
}
