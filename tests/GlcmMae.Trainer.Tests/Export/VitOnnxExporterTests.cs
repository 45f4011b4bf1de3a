using GlcmMae.Trainer.Export;
using GlcmMae.Trainer.Models;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;

namespace GlcmMae.Trainer.Tests.Export;

[Collection(TorchCollection.Name)]
public sealed class VitOnnxExporterTests
{
    [Theory]
    [InlineData(1, 2, 32, 8, 64, 2)]
    [InlineData(3, 5, 64, 16, 64, 2)]
    [InlineData(1, 3, 96, 16, 96, 3)]
    [InlineData(3, 2, 224, 16, 64, 1)]
    public void Exported_classifier_matches_torchsharp_within_1e_4(int channels, int classes, int imageSize, int patchSize, int dim, int depth)
    {
        torch.manual_seed(channels + classes + imageSize);
        var config = ModelPresets.Get("tiny", channels) with { ImageSize = imageSize, PatchSize = patchSize, EmbedDim = dim, Depth = depth, Heads = 4 };
        using var model = new VitClassifier(config, classes, dropPath: 0.1);
        using (torch.no_grad())
        {
            // A freshly initialised head outputs near-uniform probabilities; spread them so argmax parity means something.
            foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.StartsWith("head", StringComparison.Ordinal)))
            {
                parameter.normal_(0, 0.5);
            }
        }

        var bytes = VitOnnxExporter.Export(model, new Dictionary<string, string> { ["labels"] = "[]" }).ToByteArray();
        using var batch1 = torch.rand(1, channels, imageSize, imageSize);
        using var batch8 = torch.rand(8, channels, imageSize, imageSize);

        var parity = OnnxParity.Check(model, bytes, [("random, batch 1", batch1), ("random, batch 8", batch8)]);

        Assert.True(parity.Passed, string.Join("; ", parity.Cases));
        Assert.True(parity.MaxAbsDifference < 1e-5, parity.MaxAbsDifference.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_graph_is_opset_17_with_a_dynamic_batch_named_io_and_no_weight_transposes()
    {
        var config = ModelPresets.Get("tiny", 1) with { ImageSize = 32, PatchSize = 8, EmbedDim = 32, Depth = 2, Heads = 2 };
        using var model = new VitClassifier(config, 3, dropPath: 0);

        var onnx = VitOnnxExporter.Export(model, new Dictionary<string, string> { ["name"] = "demo" });

        Assert.Equal(17, onnx.OpsetImport.Single().Version);
        Assert.Equal("demo", onnx.MetadataProps.Single(p => p.Key == "name").Value);
        var input = onnx.Graph.Input.Single();
        Assert.Equal(VitOnnxExporter.InputName, input.Name);
        Assert.Equal("batch", input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(VitOnnxExporter.OutputNames, onnx.Graph.Output.Select(o => o.Name));
        var initializers = onnx.Graph.Initializer.Select(i => i.Name).ToHashSet();
        // Transposes only ever move activations: none reads a weight.
        Assert.DoesNotContain(onnx.Graph.Node.Where(n => n.OpType == "Transpose"), n => initializers.Contains(n.Input[0]));
        Assert.Equal(2 * config.Depth + 1, onnx.Graph.Node.Count(n => n.OpType == "LayerNormalization"));

        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = Path.Combine(Path.GetTempPath(), $"glcmmae-opt-{Guid.NewGuid():N}.onnx") };
        using var session = new InferenceSession(onnx.ToByteArray(), options);
        Assert.Equal([-1, 1, 32, 32], session.InputMetadata[VitOnnxExporter.InputName].Dimensions);
        File.Delete(options.OptimizedModelFilePath);
    }
}
