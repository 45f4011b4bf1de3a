namespace GlcmMae.Trainer.Training;

/// <summary>MAE's schedule: linear warmup to the peak, then a half cosine down to the minimum, per optimiser step.</summary>
/// <param name="Peak">Learning rate at the end of warmup.</param>
/// <param name="Minimum">Learning rate at the last step.</param>
/// <param name="WarmupSteps">Steps of linear warmup.</param>
/// <param name="TotalSteps">All optimiser steps of the run.</param>
internal sealed record LearningRateSchedule(double Peak, double Minimum, long WarmupSteps, long TotalSteps)
{
    /// <summary>The rate for a 0-based optimiser step.</summary>
    public double At(long step)
    {
        if (step < WarmupSteps)
        {
            return Peak * step / WarmupSteps;
        }

        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        var progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        return Minimum + ((Peak - Minimum) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
