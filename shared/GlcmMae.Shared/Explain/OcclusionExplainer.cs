using System.Diagnostics;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Safety;

namespace GlcmMae.Shared.Explain;

/// <summary>
/// Occlusion sensitivity (Zeiler and Fergus, 2014): hide one window of the model's input at a time (with the image's
/// mean, a neutral value after normalisation), run every occluded copy through the same ONNX session in batches, and
/// record how far the explained class's calibrated probability falls. It needs nothing from the graph but its input
/// and output, so it explains any exported model, and what it shows is what the served model does.
/// </summary>
public static class OcclusionExplainer
{
    // Occluded copies per run: large enough to fill a GPU batch, small enough to bound memory.
    private const int Batch = 32;

    /// <summary>Window side as a fraction of the input side (1/6: about a lesion's size at the quickstart's scale); windows overlap by half.</summary>
    public const int WindowsAcross = 6;

    /// <summary>Explains <paramref name="classIndex"/> for one preprocessed image.</summary>
    /// <param name="engine">The served model's engine.</param>
    /// <param name="pixels">The preprocessed image (at least <see cref="OnnxClassifierEngine.ImageValues"/> floats, channel-major, square).</param>
    /// <param name="classIndex">The class whose probability is watched.</param>
    /// <param name="temperature">The model's calibration temperature.</param>
    public static OcclusionMap Explain(OnnxClassifierEngine engine, ReadOnlySpan<float> pixels, int classIndex, double temperature)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var clock = Stopwatch.StartNew();
        var values = engine.ImageValues;
        var channels = (int)engine.Manifest.InputShape[1];
        var size = (int)engine.Manifest.InputShape[^1];
        var plane = size * size;
        var window = Math.Max(2, size / WindowsAcross);
        var stride = Math.Max(1, window / 2);
        var starts = new List<int>();
        for (var s = 0; s + window <= size; s += stride)
        {
            starts.Add(s);
        }

        if (starts[^1] + window < size)
        {
            starts.Add(size - window);
        }

        var windows = starts.SelectMany(y => starts.Select(x => (X: x, Y: y))).ToArray();
        var means = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            double sum = 0;
            foreach (var v in pixels.Slice(c * plane, plane))
            {
                sum += v;
            }

            means[c] = (float)(sum / plane);
        }

        var original = pixels[..values].ToArray();
        var baseline = Probability(engine, engine.Run(original, 1), 0, classIndex, temperature);
        var drops = new double[windows.Length];
        var images = new float[Batch * values];
        for (var first = 0; first < windows.Length; first += Batch)
        {
            var count = Math.Min(Batch, windows.Length - first);
            for (var k = 0; k < count; k++)
            {
                var copy = images.AsSpan(k * values, values);
                original.CopyTo(copy);
                var (x0, y0) = windows[first + k];
                for (var c = 0; c < channels; c++)
                {
                    for (var y = y0; y < y0 + window; y++)
                    {
                        copy.Slice((c * plane) + (y * size) + x0, window).Fill(means[c]);
                    }
                }
            }

            var scores = engine.Run(images, count);
            for (var k = 0; k < count; k++)
            {
                drops[first + k] = baseline - Probability(engine, scores, k, classIndex, temperature);
            }
        }

        var heat = new double[plane];
        var cover = new int[plane];
        for (var w = 0; w < windows.Length; w++)
        {
            var (x0, y0) = windows[w];
            for (var y = y0; y < y0 + window; y++)
            {
                for (var x = x0; x < x0 + window; x++)
                {
                    heat[(y * size) + x] += drops[w];
                    cover[(y * size) + x]++;
                }
            }
        }

        var map = new float[plane];
        var peak = 0;
        for (var i = 0; i < plane; i++)
        {
            map[i] = cover[i] == 0 ? 0 : (float)(heat[i] / cover[i]);
            peak = map[i] > map[peak] ? i : peak;
        }

        return new OcclusionMap(map, size, peak % size, peak / size, classIndex, clock.Elapsed.TotalMilliseconds);
    }

    private static double Probability(OnnxClassifierEngine engine, float[] scores, int row, int classIndex, double temperature)
    {
        var classes = engine.Classes;
        var logits = SafetyAssessor.LogScores(scores.AsSpan(row * classes, classes), engine.ScoresAreLogits);
        return SafetyAssessor.Softmax(logits, temperature)[classIndex];
    }
}
