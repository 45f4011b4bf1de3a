using GlcmMae.Trainer.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace GlcmMae.Trainer.Export;

/// <summary>Runs the same inputs through the TorchSharp classifier and an exported ONNX model and compares probabilities.</summary>
internal static class OnnxParity
{
    /// <summary>Default tolerance on probabilities.</summary>
    public const double DefaultTolerance = 1e-4;

    /// <summary>Compares on each named input batch (N, C, H, W float32 on the CPU).</summary>
    public static ParityResult Check(VitClassifier model, byte[] onnx, IReadOnlyList<(string Name, Tensor Batch)> inputs, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(onnx, options);
        model.eval();
        var cases = new List<ParityCase>();
        foreach (var (name, batch) in inputs)
        {
            float[] expected;
            using (torch.no_grad())
            using (var probabilities = torch.nn.functional.softmax(model.forward(batch.cpu()), 1))
            {
                expected = probabilities.contiguous().data<float>().ToArray();
            }

            var shape = batch.shape.Select(s => (int)s).ToArray();
            var input = new DenseTensor<float>(batch.cpu().contiguous().data<float>().ToArray(), shape);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(VitOnnxExporter.InputName, input)], [VitOnnxExporter.OutputNames[1]]);
            var actual = results[0].AsEnumerable<float>().ToArray();
            var classes = model.Classes;
            double worst = 0;
            var agrees = actual.Length == expected.Length;
            for (var i = 0; agrees && i < shape[0]; i++)
            {
                var e = expected.AsSpan(i * classes, classes);
                var a = actual.AsSpan(i * classes, classes);
                for (var c = 0; c < classes; c++)
                {
                    worst = Math.Max(worst, Math.Abs(e[c] - a[c]));
                }

                agrees &= ArgMax(e) == ArgMax(a);
            }

            cases.Add(new ParityCase(name, shape[0], agrees ? worst : double.PositiveInfinity, agrees));
        }

        return new ParityResult(tolerance, cases);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
