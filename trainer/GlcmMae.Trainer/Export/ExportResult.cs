using GlcmMae.Shared.Models;

namespace GlcmMae.Trainer.Export;

/// <summary>An exported, parity-checked model: its folder, files, manifest and timing, and the fine-tuning run it came from (lineage, splits, evaluation).</summary>
internal sealed record ExportResult(string Folder, string OnnxPath, ModelManifest Manifest, ParityResult Parity, string? ReportFolder, double ExportSeconds, string RunFolder);
