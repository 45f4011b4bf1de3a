namespace GlcmMae.Trainer.Export;

/// <summary>TorchSharp against ONNX Runtime (CPU, full graph optimisation) on the same inputs.</summary>
internal sealed record ParityResult(double Tolerance, IReadOnlyList<ParityCase> Cases)
{
    /// <summary>Largest difference of any probability in any case.</summary>
    public double MaxAbsDifference => Cases.Count == 0 ? 0 : Cases.Max(c => c.MaxAbsDifference);

    /// <summary>True when every case is within the tolerance and agrees on every argmax.</summary>
    public bool Passed => Cases.Count > 0 && Cases.All(c => c.MaxAbsDifference < Tolerance && c.ArgmaxAgrees);
}
