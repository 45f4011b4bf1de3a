namespace GlcmMae.Shared.Pipeline;

/// <summary>Which frames of a multi-frame scan serving classifies.</summary>
public enum FrameMode
{
    /// <summary>Every frame (evenly sampled down to <see cref="FrameOptions.MaxFrames"/> for long cine loops), aggregated into the scan's result.</summary>
    All,

    /// <summary>Only the frame the model's preprocessing selects (its manifest's frame rule), as training did.</summary>
    Selected,
}
