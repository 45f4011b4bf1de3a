namespace GlcmMae.Trainer.Training;

/// <summary>The method's two pretraining stages.</summary>
internal enum PretrainStage
{
    /// <summary>Stage 1: plain MAE with the pixel MSE.</summary>
    Mse,

    /// <summary>Stage 2: GLCM-MAE loss, resuming stage 1's weights.</summary>
    Glcm,
}
