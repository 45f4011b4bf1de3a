namespace GlcmMae.Trainer.Training;

/// <summary>What a finished pretraining run left behind.</summary>
internal sealed record PretrainResult(string RunFolder, string? Checkpoint, long Steps, double? LastLoss, IReadOnlyList<string> Plots);
