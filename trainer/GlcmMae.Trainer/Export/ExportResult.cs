using GlcmMae.Shared.Models;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Evaluation;

namespace GlcmMae.Trainer.Export;

/// <summary>An exported, parity-checked model: its folder, files, manifest and timing, and the fine-tuning run it came from (lineage, splits, evaluation).</summary>
internal sealed record ExportResult(string Folder, string OnnxPath, ModelManifest Manifest, ParityResult Parity, string? ReportFolder, double ExportSeconds, string RunFolder)
{
    /// <summary>The run's <c>data.jsonl</c>, or null for a run from before lineage.</summary>
    public IReadOnlyList<SnapshotEntry>? Lineage { get; init; }

    /// <summary>The folder the lineage's paths are relative to, when the run recorded its splits.</summary>
    public string? DatasetRoot { get; init; }

    /// <summary>The run's test evaluation, when it had a test split.</summary>
    public EvaluationSummary? Evaluation { get; init; }

    /// <summary>What the safety fit did (calibration, abstention, operating point), or why there is none.</summary>
    public string? SafetyNote { get; init; }
}
