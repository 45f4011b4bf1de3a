using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Export;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Training;
using Google.Protobuf;
using TorchSharp;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>Untrained classifiers of a preset's architecture, exported and published as training would: serving cost without a training run.</summary>
internal static class BenchmarkModels
{
    /// <summary>Labels of the benchmark models.</summary>
    public static readonly IReadOnlyList<string> Labels = ["a", "b", "c"];

    /// <summary>Exports a freshly initialised <paramref name="preset"/> classifier (seeded) and publishes it as <paramref name="name"/>/<paramref name="version"/>, promoting it when asked.</summary>
    public static async Task<(ModelManifest Manifest, PreprocessingSpec Spec)> PublishAsync(
        ModelRegistry registry, string preset, string name, string version, int seed, bool promote, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        torch.manual_seed(seed);
        var config = ModelPresets.Get(preset, 1);
        var spec = PretrainRunner.SpecFor(config);
        byte[] onnx;
        using (var model = new VitClassifier(config, Labels.Count, dropPath: 0))
        {
            onnx = VitOnnxExporter.Export(model, new Dictionary<string, string>()).ToByteArray();
        }

        var onnxPath = Path.Combine(Path.GetTempPath(), $"glcmmae-bench-{Guid.NewGuid():N}.onnx");
        await File.WriteAllBytesAsync(onnxPath, onnx, cancellationToken).ConfigureAwait(false);
        try
        {
            var manifest = new ModelManifest
            {
                Name = name,
                Version = version,
                Created = DateTimeOffset.UtcNow,
                Labels = Labels,
                InputName = VitOnnxExporter.InputName,
                InputShape = [-1, 1, config.ImageSize, config.ImageSize],
                OutputNames = VitOnnxExporter.OutputNames,
                Preprocessing = spec.ToJsonObject(),
                PreprocessingHash = spec.ComputeHash(),
                Opset = VitOnnxExporter.Opset,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(onnx)),
            };
            await registry.PublishAsync(manifest, onnxPath, null, null, cancellationToken).ConfigureAwait(false);
            if (promote)
            {
                await registry.PromoteAsync(name, version, new PromotionNote("benchmark", by), cancellationToken).ConfigureAwait(false);
            }

            return (manifest, spec);
        }
        finally
        {
            File.Delete(onnxPath);
        }
    }
}
