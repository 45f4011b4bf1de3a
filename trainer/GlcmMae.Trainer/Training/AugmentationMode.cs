namespace GlcmMae.Trainer.Training;

/// <summary>Pretraining augmentation applied after the shared preprocessing.</summary>
internal enum AugmentationMode
{
    /// <summary>None: the method's code (resize, centre crop, normalise).</summary>
    None,

    /// <summary>Random horizontal flip.</summary>
    Flip,

    /// <summary>Original MAE: random resized crop (scale 0.2-1) and horizontal flip.</summary>
    Mae,
}
