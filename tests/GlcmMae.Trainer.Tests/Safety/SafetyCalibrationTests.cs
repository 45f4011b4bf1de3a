using System.Security.Cryptography;
using GlcmMae.Shared.Safety;
using GlcmMae.Testing;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Safety;

namespace GlcmMae.Trainer.Tests.Safety;

/// <summary>The safety fit on a real (small) ONNX model through the serving code, over validation scans of a lineage.</summary>
public sealed class SafetyCalibrationTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Validation scans at grey levels spread over the range, labelled by level (benign dark, malignant mid-grey, normal bright) with a few labels swapped, as real labels are.</summary>
    private async Task<(IReadOnlyList<SnapshotEntry> Lineage, string Root)> ValidationAsync(int count)
    {
        var root = _temp.File("data");
        Directory.CreateDirectory(root);
        var entries = new List<SnapshotEntry>();
        for (var i = 0; i < count; i++)
        {
            var level = (byte)(10 + (i * 235 / count));
            var label = level < 90 ? "benign" : level < 170 ? "malignant" : "normal";
            label = i % 11 == 5 ? "malignant" : label;
            var path = $"{i}.png";
            var bytes = TestModels.GreyPng(level);
            await File.WriteAllBytesAsync(Path.Combine(root, path), bytes);
            entries.Add(new SnapshotEntry(path, null, Convert.ToHexStringLower(SHA256.HashData(bytes)), label, SnapshotUse.Validation, $"study-{i}", "Png", DateTimeOffset.UtcNow));
        }

        // Training scans give the texture statistics; the test split must not be used.
        entries.AddRange(entries.Take(30).Select(e => e with { Split = SnapshotUse.Train }).ToList());
        entries.Add(entries[1] with { Split = SnapshotUse.Test, Label = "normal" });
        return (entries, root);
    }

    private async Task<(Shared.Models.ModelManifest Manifest, string OnnxPath)> ModelAsync()
    {
        var bytes = TestModels.Build(1);
        var path = _temp.File("model.onnx");
        await File.WriteAllBytesAsync(path, bytes);
        return (TestModels.Manifest("demo", "v1", bytes), path);
    }

    [Fact]
    public async Task Validation_scans_through_serving_give_a_temperature_a_threshold_keeping_95_percent_and_an_operating_point()
    {
        var (lineage, root) = await ValidationAsync(60);
        var (manifest, onnx) = await ModelAsync();

        var (profile, note) = await SafetyCalibration.FitAsync(manifest, onnx, lineage, root, new SafetyOptions { PositiveLabel = "malignant", TargetSensitivity = 0.9 }, _temp.File("report"), CancellationToken.None);

        Assert.NotNull(profile);
        Assert.Equal(60, profile.Scans);
        Assert.True(profile.Calibration.NllAfter <= profile.Calibration.NllBefore + 1e-12);
        Assert.True(profile.Calibration.EceAfter <= profile.Calibration.EceBefore + 1e-9, note);
        Assert.Equal(OodScoreKind.TextureDistance, profile.Abstention!.Score);
        Assert.Equal(30, profile.Texture!.Scans);
        Assert.InRange(profile.Abstention.ValidationKeepRate, 0.95, 1.0);
        Assert.True(profile.OperatingPoint!.ValidationSensitivity >= 0.9);
        Assert.StartsWith("calibrated on 60 validation scans", note, StringComparison.Ordinal);
        foreach (var drawing in new[] { SafetyCalibration.Drawings.Before, SafetyCalibration.Drawings.After, SafetyCalibration.Drawings.Roc })
        {
            Assert.True(new FileInfo(Path.Combine(_temp.File("report"), drawing)).Length > 1000, drawing);
        }
    }

    [Fact]
    public async Task Too_few_validation_scans_or_no_lineage_ship_no_profile_and_say_why()
    {
        var (lineage, root) = await ValidationAsync(10);
        var (manifest, onnx) = await ModelAsync();

        var (few, fewNote) = await SafetyCalibration.FitAsync(manifest, onnx, lineage, root, new SafetyOptions(), null, CancellationToken.None);
        var (none, noneNote) = await SafetyCalibration.FitAsync(manifest, onnx, null, null, new SafetyOptions(), null, CancellationToken.None);

        Assert.Null(few);
        Assert.Contains("10 validation scans, fewer than the 20", fewNote, StringComparison.Ordinal);
        Assert.Null(none);
        Assert.Contains("no lineage", noneNote, StringComparison.Ordinal);
    }
}
