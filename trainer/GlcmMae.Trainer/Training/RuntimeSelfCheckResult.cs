namespace GlcmMae.Trainer.Training;

/// <summary>The outcome of <see cref="RuntimeSelfCheck"/>: losses per step and whether training behaved.</summary>
internal sealed record RuntimeSelfCheckResult(string Device, IReadOnlyList<double> Losses, bool GradientsFinite, TimeSpan Elapsed)
{
    /// <summary>True when every gradient was finite and the loss fell by at least a tenth.</summary>
    public bool Passed => GradientsFinite && Losses[^1] < Losses[0] * 0.9;
}
