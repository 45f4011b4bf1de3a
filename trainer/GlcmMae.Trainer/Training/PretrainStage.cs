using GlcmMae.Trainer.Losses;

namespace GlcmMae.Trainer.Training;

/// <summary>The method's two pretraining stages.</summary>
internal enum PretrainStage
{
    /// <summary>Stage 1: plain MAE with the pixel MSE.</summary>
    Mse,

    /// <summary>Stage 2: GLCM-MAE loss, resuming stage 1's weights.</summary>
    Glcm,
}

/// <summary>What each stage trains with unless told otherwise: the one source of the stage defaults.</summary>
internal static class PretrainStages
{
    /// <summary>The stage's loss: MSE only for stage 1, the method's code default (1 GLCM + 1 SSIM + 0.1 MSE) for stage 2.</summary>
    public static PretrainingLossOptions DefaultLoss(this PretrainStage stage) => stage switch
    {
        PretrainStage.Mse => PretrainingLossOptions.MseOnly,
        PretrainStage.Glcm => PretrainingLossOptions.Method,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown pretraining stage."),
    };
}
