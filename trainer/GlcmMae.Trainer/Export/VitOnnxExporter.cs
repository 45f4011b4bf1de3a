using GlcmMae.Shared.Onnx;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Torch;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Export;

/// <summary>Writes a <see cref="VitClassifier"/> as an ONNX graph (opset 17): inputs NCHW pixels, outputs logits and probabilities.</summary>
/// <remarks>
/// Constants are folded at export rather than left for the runtime: position tables added to the CLS token once, the
/// attention scale multiplied into the query weights, Linear weights stored pre-transposed for MatMul, so the graph has
/// no weight Transpose nodes. GELU is the exact erf form (opset 17 has no Gelu operator).
/// </remarks>
internal static class VitOnnxExporter
{
    /// <summary>Opset of exported models.</summary>
    public const int Opset = 17;

    /// <summary>Input tensor name.</summary>
    public const string InputName = "pixels";

    /// <summary>Output names, in order.</summary>
    public static readonly IReadOnlyList<string> OutputNames = ["logits", "probabilities"];

    /// <summary>Builds the ONNX model of the classifier's current weights.</summary>
    public static ModelProto Export(VitClassifier model, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        var config = model.Config;
        var d = (long)config.EmbedDim;
        var heads = (long)config.Heads;
        var headDim = d / heads;
        var patches = (long)config.PatchCount;
        var weights = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().cpu().to_type(ScalarType.Float32).contiguous());
        try
        {
            var g = new OnnxGraphBuilder("glcmmae_vit_classifier");
            var x = g.Input(InputName, "batch", config.Channels, config.ImageSize, config.ImageSize);
            var embedded = g.Node("Conv", [x, Weight(g, weights, "patch_embed.proj.weight"), Weight(g, weights, "patch_embed.proj.bias")], new Dictionary<string, object>
            {
                ["kernel_shape"] = new long[] { config.PatchSize, config.PatchSize },
                ["strides"] = new long[] { config.PatchSize, config.PatchSize },
            });
            var tokens = g.Node("Transpose", [g.Node("Reshape", [embedded, g.Int64([0, d, -1])])], new Dictionary<string, object> { ["perm"] = new long[] { 0, 2, 1 } });
            var positions = weights["pos_embed"];
            tokens = g.Node("Add", [tokens, Float(g, "pos_embed_patches", positions.narrow(1, 1, patches))]);
            using (var cls = weights["cls_token"].Plus(positions.narrow(1, 0, 1)))
            {
                var batchShape = g.Node("Slice", [g.Node("Shape", [tokens]), g.Int64([0]), g.Int64([1])]);
                var clsShape = g.Node("Concat", [batchShape, g.Int64([1, d])], new Dictionary<string, object> { ["axis"] = 0L });
                var clsTokens = g.Node("Expand", [Float(g, "cls_token_with_position", cls), clsShape]);
                x = g.Node("Concat", [clsTokens, tokens], new Dictionary<string, object> { ["axis"] = 1L });
            }

            for (var i = 0; i < config.Depth; i++)
            {
                var p = $"blocks.{i}.";
                var h = LayerNorm(g, weights, x, p + "norm1");
                h = Attention(g, weights, h, p + "attn", d, heads, headDim);
                x = g.Node("Add", [x, h]);
                h = LayerNorm(g, weights, x, p + "norm2");
                h = Linear(g, weights, h, p + "mlp.fc1");
                h = Gelu(g, h);
                h = Linear(g, weights, h, p + "mlp.fc2");
                x = g.Node("Add", [x, h]);
            }

            var patchTokens = g.Node("Slice", [x, g.Int64([1]), g.Int64([long.MaxValue]), g.Int64([1])]);
            var pooled = g.Node("ReduceMean", [patchTokens], new Dictionary<string, object> { ["axes"] = new long[] { 1 }, ["keepdims"] = 0L });
            var logits = Linear(g, weights, LayerNorm(g, weights, pooled, "fc_norm"), "head");
            g.Output(OutputNames[0], logits, "batch", model.Classes);
            g.Output(OutputNames[1], g.Node("Softmax", [logits], new Dictionary<string, object> { ["axis"] = -1L }), "batch", model.Classes);
            return g.Build(Opset, metadata, typeof(VitOnnxExporter).Assembly.GetName().Version?.ToString() ?? "0");
        }
        finally
        {
            foreach (var tensor in weights.Values)
            {
                tensor.Dispose();
            }
        }
    }

    private static string Attention(OnnxGraphBuilder g, Dictionary<string, Tensor> weights, string x, string prefix, long d, long heads, long headDim)
    {
        // Scale the query rows of the qkv projection by 1/sqrt(head_dim) here, so the graph needs no Mul per block.
        using var scale = torch.ones(3 * d);
        TensorMath.WithScalar(1.0 / Math.Sqrt(headDim), scale.narrow(0, 0, d).fill_);
        using var qkvWeight = weights[prefix + ".qkv.weight"] * scale.unsqueeze(1);
        using var qkvBias = weights[prefix + ".qkv.bias"] * scale;
        var qkv = g.Node("Add", [g.Node("MatMul", [x, Float(g, prefix + ".qkv.weight_t", qkvWeight.t())]), Float(g, prefix + ".qkv.bias", qkvBias)]);
        var split = g.Node("Transpose", [g.Node("Reshape", [qkv, g.Int64([0, 0, 3, heads, headDim])])], new Dictionary<string, object> { ["perm"] = new long[] { 2, 0, 3, 1, 4 } });
        string Part(long index) => g.Node("Gather", [split, g.Int64([index], scalar: true)], new Dictionary<string, object> { ["axis"] = 0L });
        var (q, k, v) = (Part(0), Part(1), Part(2));
        var scores = g.Node("MatMul", [q, g.Node("Transpose", [k], new Dictionary<string, object> { ["perm"] = new long[] { 0, 1, 3, 2 } })]);
        var attended = g.Node("MatMul", [g.Node("Softmax", [scores], new Dictionary<string, object> { ["axis"] = -1L }), v]);
        var merged = g.Node("Reshape", [g.Node("Transpose", [attended], new Dictionary<string, object> { ["perm"] = new long[] { 0, 2, 1, 3 } }), g.Int64([0, 0, d])]);
        return Linear(g, weights, merged, prefix + ".proj");
    }

    private static string Linear(OnnxGraphBuilder g, Dictionary<string, Tensor> weights, string x, string prefix)
    {
        using var transposed = weights[prefix + ".weight"].t().contiguous();
        return g.Node("Add", [g.Node("MatMul", [x, Float(g, prefix + ".weight_t", transposed)]), Weight(g, weights, prefix + ".bias")]);
    }

    private static string LayerNorm(OnnxGraphBuilder g, Dictionary<string, Tensor> weights, string x, string prefix) =>
        g.Node("LayerNormalization", [x, Weight(g, weights, prefix + ".weight"), Weight(g, weights, prefix + ".bias")], new Dictionary<string, object>
        {
            ["axis"] = -1L,
            ["epsilon"] = (float)TransformerBlock.LayerNormEpsilon,
        });

    private static string Gelu(OnnxGraphBuilder g, string x)
    {
        // 0.5 x (1 + erf(x / sqrt 2)): the exact GELU that nn.GELU() computes.
        var erf = g.Node("Erf", [g.Node("Mul", [x, Scalar(g, "inv_sqrt2", (float)(1 / Math.Sqrt(2)))])]);
        return g.Node("Mul", [g.Node("Mul", [x, Scalar(g, "half", 0.5f)]), g.Node("Add", [erf, Scalar(g, "one", 1f)])]);
    }

    private static string Scalar(OnnxGraphBuilder g, string name, float value) => g.FloatConstant(name, value);

    private static string Weight(OnnxGraphBuilder g, Dictionary<string, Tensor> weights, string name) => Float(g, name, weights[name]);

    private static string Float(OnnxGraphBuilder g, string name, Tensor tensor)
    {
        using var contiguous = tensor.contiguous();
        return g.Float(name, contiguous.data<float>().ToArray(), contiguous.shape);
    }
}
