using GlcmMae.Shared.Explain;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Onnx;
using GlcmMae.Testing;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace GlcmMae.Shared.Tests.Explain;

public sealed class OcclusionExplainerTests
{
    /// <summary>A classifier that looks only at a 10 x 10 region of its 32 x 32 input (rows 4-13, columns 18-27): logits = its mean times (-4, 0, 4).</summary>
    private static LoadedModel RegionModel()
    {
        var mask = new float[32 * 32];
        for (var y = 4; y < 14; y++)
        {
            for (var x = 18; x < 28; x++)
            {
                mask[(y * 32) + x] = 32f * 32 / 100;
            }
        }

        var g = new OnnxGraphBuilder("region_classifier");
        var input = g.Input("pixels", "batch", 1, 32, 32);
        var masked = g.Node("Mul", [input, g.Float("mask", mask, 1, 1, 32, 32)]);
        var mean = g.Node("ReduceMean", [masked], new Dictionary<string, object> { ["axes"] = new long[] { 2, 3 }, ["keepdims"] = 0L });
        var logits = g.Node("MatMul", [mean, g.Float("w", [-4f, 0f, 4f], 1, 3)]);
        g.Output("logits", logits, "batch", 3);
        g.Output("probabilities", g.Node("Softmax", [logits], new Dictionary<string, object> { ["axis"] = -1L }), "batch", 3);
        var onnx = g.Build(17, new Dictionary<string, string>(), "test").ToByteArray();
        return new LoadedModel(TestModels.Manifest("region", "v1", onnx), onnx);
    }

    [Fact]
    public void The_peak_falls_in_the_region_the_model_looks_at_and_the_rest_is_cold()
    {
        using var engine = OnnxClassifierEngine.Create(RegionModel(), new ServingOptions { ExecutionProvider = ExecutionProviderChoice.Cpu, IntraOpThreads = 1, IdleIntraOpThreads = 0 }, NullLogger.Instance);
        var random = new Random(3);
        // Bright inside the region (so "normal", class 2, wins), noise elsewhere.
        var pixels = new float[32 * 32];
        for (var i = 0; i < pixels.Length; i++)
        {
            var (x, y) = (i % 32, i / 32);
            pixels[i] = x is >= 18 and < 28 && y is >= 4 and < 14 ? 0.9f : (float)(random.NextDouble() * 0.2);
        }

        var map = OcclusionExplainer.Explain(engine, pixels, classIndex: 2, temperature: 1);

        Assert.Equal(32, map.Size);
        Assert.InRange(map.PeakX, 18, 27);
        Assert.InRange(map.PeakY, 4, 13);
        Assert.True(map.Heat[(map.PeakY * 32) + map.PeakX] > 0.01);
        // Far from the region no window touches it, so hiding pixels there changes nothing.
        Assert.Equal(0, map.Heat[(30 * 32) + 2], 6);
        var png = ExplanationImage.Png(pixels, map);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }
}
