using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Onnx;
using GlcmMae.Shared.Preprocessing;
using Google.Protobuf;

namespace GlcmMae.Testing;

/// <summary>Small real ONNX classifiers for serving tests: mean intensity through a linear layer and softmax.</summary>
public static class TestModels
{
    /// <summary>Labels of the test models.</summary>
    public static readonly IReadOnlyList<string> Labels = ["benign", "malignant", "normal"];

    /// <summary>The preprocessing the test models declare: 32 x 32 grayscale.</summary>
    public static PreprocessingSpec Spec { get; } = PreprocessingSpec.Default with { CropSize = 32, ResizeShorterSide = 36, Mean = [0f], Std = [1f] };

    /// <summary>ONNX bytes: pixels (N, 1, 32, 32) -> mean -> (N, 3) logits = mean * w + b -> probabilities.</summary>
    public static byte[] Build(float scale)
    {
        var g = new OnnxGraphBuilder("test_classifier");
        var x = g.Input("pixels", "batch", 1, 32, 32);
        var mean = g.Node("ReduceMean", [x], new Dictionary<string, object> { ["axes"] = new long[] { 2, 3 }, ["keepdims"] = 0L });
        var logits = g.Node("Add", [g.Node("MatMul", [mean, g.Float("w", [-4f * scale, 0f, 4f * scale], 1, 3)]), g.Float("b", [2f, 0f, -2f], 3)]);
        g.Output("logits", logits, "batch", 3);
        g.Output("probabilities", g.Node("Softmax", [logits], new Dictionary<string, object> { ["axis"] = -1L }), "batch", 3);
        return g.Build(17, new Dictionary<string, string>(), "test").ToByteArray();
    }

    /// <summary>The manifest of a test model built by <see cref="Build"/>.</summary>
    public static ModelManifest Manifest(string name, string version, byte[] onnx) => new()
    {
        Name = name,
        Version = version,
        Created = DateTimeOffset.UtcNow,
        Labels = Labels,
        InputName = "pixels",
        InputShape = [-1, 1, 32, 32],
        OutputNames = ["logits", "probabilities"],
        Preprocessing = Spec.ToJsonObject(),
        PreprocessingHash = Spec.ComputeHash(),
        Opset = 17,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(onnx)),
    };

    /// <summary>A 40 x 40 grey PNG at <paramref name="level"/> that <see cref="Build"/>'s models classify by that level.</summary>
    public static byte[] GreyPng(byte level)
    {
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.L8>(40, 40);
        for (var y = 0; y < 40; y++)
        {
            for (var x = 0; x < 40; x++)
            {
                // A little structure so the per-image stretch leaves the mean where the level puts it.
                image[x, y] = new SixLabors.ImageSharp.PixelFormats.L8((byte)(x == 0 && y == 0 ? 0 : x == 1 && y == 0 ? 255 : level));
            }
        }

        using var stream = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, stream);
        return stream.ToArray();
    }

    /// <summary>Publishes a test model version (optionally promoting it) and returns its manifest.</summary>
    public static async Task<ModelManifest> PublishAsync(ModelRegistry registry, string name, string version, float scale = 1, bool promote = true, ModelScope? scope = null, Shared.Safety.SafetyProfile? safety = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var bytes = Build(scale);
        var path = Path.Combine(Path.GetTempPath(), $"glcmmae-test-{Guid.NewGuid():N}.onnx");
        await File.WriteAllBytesAsync(path, bytes).ConfigureAwait(false);
        try
        {
            var manifest = Manifest(name, version, bytes) with { Scope = scope, Safety = safety };
            await registry.PublishAsync(manifest, path, null).ConfigureAwait(false);
            if (promote)
            {
                await registry.PromoteAsync(name, version, new PromotionNote("test", "tests")).ConfigureAwait(false);
            }

            return manifest;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
