using System.Diagnostics;
using GlcmMae.Trainer.Export;
using GlcmMae.Trainer.Models;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>Export time of each preset and the CPU latency of ONNX Runtime next to the TorchSharp forward, per batch size.</summary>
internal static class ExportBenchmark
{
    /// <summary>Measures each preset; <paramref name="repeats"/> timed runs per batch after one warm-up, median reported.</summary>
    public static IReadOnlyList<ExportBenchmarkRow> Run(IReadOnlyList<string> presets, IReadOnlyList<int> batches, int repeats, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var rows = new List<ExportBenchmarkRow>();
        foreach (var preset in presets)
        {
            torch.manual_seed(0);
            var config = ModelPresets.Get(preset, 1);
            using var model = new VitClassifier(config, 3, dropPath: 0);
            model.eval();
            progress?.Report($"exporting {preset}");
            var clock = Stopwatch.StartNew();
            var bytes = VitOnnxExporter.Export(model, new Dictionary<string, string>()).ToByteArray();
            var exportSeconds = clock.Elapsed.TotalSeconds;
            using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = torch.get_num_threads() };
            using var session = new InferenceSession(bytes, options);
            foreach (var batch in batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report($"{preset}, batch {batch}");
                using var input = torch.rand(batch, 1, config.ImageSize, config.ImageSize);
                var data = input.data<float>().ToArray();
                var tensor = new DenseTensor<float>(data, [batch, 1, config.ImageSize, config.ImageSize]);
                var onnxInputs = new[] { NamedOnnxValue.CreateFromTensor(VitOnnxExporter.InputName, tensor) };
                var ort = Median(repeats, () =>
                {
                    using var results = session.Run(onnxInputs);
                });
                var torchMs = Median(repeats, () =>
                {
                    using var noGrad = torch.no_grad();
                    using var output = model.forward(input);
                });
                rows.Add(new ExportBenchmarkRow(preset, batch, exportSeconds, bytes.Length, ort, torchMs));
            }
        }

        return rows;
    }

    private static double Median(int repeats, Action action)
    {
        action();
        var times = new double[Math.Max(1, repeats)];
        for (var i = 0; i < times.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return times[times.Length / 2];
    }
}

/// <summary>One preset and batch size: export time, model size, median ONNX Runtime and TorchSharp milliseconds per batch.</summary>
internal sealed record ExportBenchmarkRow(string Model, int Batch, double ExportSeconds, long OnnxBytes, double OnnxRuntimeMilliseconds, double TorchSharpMilliseconds)
{
    /// <summary>TorchSharp time over ONNX Runtime time (above 1: ONNX Runtime is faster).</summary>
    public double Speedup => TorchSharpMilliseconds / OnnxRuntimeMilliseconds;
}
