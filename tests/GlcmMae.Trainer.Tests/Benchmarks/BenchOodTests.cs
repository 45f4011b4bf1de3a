using System.Security.Cryptography;
using System.Text.Json;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Storage;
using GlcmMae.Testing;
using GlcmMae.Trainer.Benchmarks.Ood;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Safety;
using GlcmMae.Trainer.Tests.Cli;

namespace GlcmMae.Trainer.Tests.Benchmarks;

public sealed class BenchOodTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Bench_ood_serves_every_family_through_the_models_own_rule_and_prints_one_json_document()
    {
        // A small real model whose safety profile is fitted on grey scans of every level (the texture reference included).
        var data = Directory.CreateDirectory(_temp.File("data")).FullName;
        var entries = new List<SnapshotEntry>();
        var files = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var bytes = TestModels.GreyPng((byte)(10 + (i * 4)));
            var path = Path.Combine(data, $"{i}.png");
            await File.WriteAllBytesAsync(path, bytes);
            files.Add(path);
            var label = i < 20 ? "benign" : i < 40 ? "malignant" : "normal";
            var entry = new SnapshotEntry($"{i}.png", null, Convert.ToHexStringLower(SHA256.HashData(bytes)), label, SnapshotUse.Validation, $"s{i}", "Png", DateTimeOffset.UtcNow);
            entries.Add(entry);
            entries.Add(entry with { Split = SnapshotUse.Train });
        }

        var onnx = TestModels.Build(1);
        var onnxPath = _temp.File("model.onnx");
        await File.WriteAllBytesAsync(onnxPath, onnx);
        var manifest = TestModels.Manifest("demo", "v1", onnx);
        var (profile, _) = await SafetyCalibration.FitAsync(manifest, onnxPath, entries, data, new SafetyOptions(), null, CancellationToken.None);
        var root = _temp.File("store");
        var registry = new ModelRegistry(new LocalFolderBlobStore(Path.Combine(root, "models")));
        await registry.PublishAsync(manifest with { Safety = profile }, onnxPath, null, null);
        await registry.PromoteAsync("demo", "v1", new PromotionNote("test", "tests"));

        var (exitCode, output, error) = await CliInvoker.InvokeAsync(["bench", "ood", "--name", "demo", "--store", "local", "--root", root, "--per-family", "6", "--scan-size", "40", "--json", "--scans", .. files.Take(20)]);

        Assert.True(exitCode == 0, output + error);
        using var report = JsonDocument.Parse(output);
        Assert.Equal("TextureDistance", report.RootElement.GetProperty("rule").GetProperty("score").GetString());
        var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("family").GetString()!);
        Assert.Equal(OodFamilies.Names.Count + 1, rows.Count);
        Assert.Equal(20, rows[OodBenchmark.InDistribution].GetProperty("scans").GetInt32());
        foreach (var family in OodFamilies.Names)
        {
            var row = rows[family];
            Assert.Equal(6, row.GetProperty("scans").GetInt32());
            Assert.Equal(6, row.GetProperty("refused").GetInt32() + row.GetProperty("abstained").GetInt32() + row.GetProperty("labelled").GetInt32());
        }

        // Flat grey training scans: white noise is as unlike them as anything, and the texture distance says so.
        Assert.Equal(6, rows["white-noise"].GetProperty("abstained").GetInt32());
        Assert.Equal(1.0, rows["white-noise"].GetProperty("textureDistanceAuroc").GetDouble());
    }
}
