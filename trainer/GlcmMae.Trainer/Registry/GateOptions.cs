using System.Globalization;
using GlcmMae.Shared.Inference;
using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Registry;

/// <summary>How the publish gate decides between the serving model (the champion) and a new candidate.</summary>
internal sealed record GateOptions
{
    /// <summary>The figure compared.</summary>
    public GateMetric Metric { get; init; } = GateMetric.BalancedAccuracy;

    /// <summary>How much worse the candidate may be: it is promoted when the lower end of the difference's interval is at least minus this.</summary>
    public double Tolerance { get; init; } = 0.02;

    /// <summary>Test images each class needs before the gate decides; with fewer it refuses, as no comparison could be trusted.</summary>
    public int MinimumPerClass { get; init; } = 10;

    /// <summary>Paired bootstrap resamples.</summary>
    public int Resamples { get; init; } = 2000;

    /// <summary>The interval's coverage.</summary>
    public double Level { get; init; } = 0.95;

    /// <summary>Seed of the bootstrap draws.</summary>
    public int Seed { get; init; }

    /// <summary>Where both models run: auto, cuda or cpu (as serving).</summary>
    public ExecutionProviderChoice ExecutionProvider { get; init; } = ExecutionProviderChoice.Auto;

    /// <summary>Refuses settings the gate cannot decide with, saying which and what is allowed.</summary>
    public GateOptions Validate()
    {
        static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
        if (Tolerance is < 0 or >= 1 || !double.IsFinite(Tolerance))
        {
            throw new ArgumentException($"The gate tolerance {Text(Tolerance)} must lie in [0, 1): it is how much the gate metric may drop.");
        }

        if (MinimumPerClass < 1)
        {
            throw new ArgumentException($"The gate's minimum test images per class ({MinimumPerClass}) must be at least 1.");
        }

        if (Resamples is < 100 or > 100_000)
        {
            throw new ArgumentException($"The gate's bootstrap resamples ({Resamples}) must lie in 100-100000.");
        }

        if (Level is <= 0.5 or >= 1 || !double.IsFinite(Level))
        {
            throw new ArgumentException($"The gate's interval level {Text(Level)} must lie in (0.5, 1).");
        }

        if (!Enum.IsDefined(ExecutionProvider))
        {
            throw new ArgumentException($"Execution provider '{ExecutionProvider}' is not Auto, Cuda or Cpu.");
        }

        return this;
    }
}
