using System.Globalization;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Serving;
using GlcmMae.Trainer.Synthesis;

namespace GlcmMae.Trainer.Benchmarks.Explain;

/// <summary>
/// The pointing game on synthetic B-mode phantoms, where the lesion (the only place the classes differ) is known:
/// each phantom is served with explanations on, its occlusion map's peak is traced back through the preprocessing's
/// resize and crop, and it hits when the lesion mask holds that pixel.
/// </summary>
internal static class PointingGame
{
    /// <summary>Serves <paramref name="count"/> phantoms (classes in turn) of <paramref name="size"/> pixels with lesions scaled by <paramref name="lesionScale"/>.</summary>
    public static async Task<PointingGameResult> RunAsync(LoadedModel model, int count, int size, double lesionScale, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var spec = model.Manifest.ReadPreprocessing();
        var served = await ServedCopy.StartAsync(model, m => m, o => { o.Abstain = false; o.Explain = true; }, cancellationToken).ConfigureAwait(false);
        await using (served.ConfigureAwait(false))
        {
            var random = new Random(seed);
            var classes = TextureClass.Defaults;
            var (explained, hits, coverage, milliseconds) = (0, 0, 0.0, 0.0);
            for (var i = 0; i < count; i++)
            {
                var (image, lesion) = UltrasoundPhantom.Generate(size, classes[i % classes.Count], random, lesionScale);
                var bytes = SynthDatasetWriter.Encode(image, size, SynthFormat.Png, seed, i);
                var outcome = await served.Pipeline.ProcessAsync(ScanInput.FromBytes("bench-explain", string.Create(CultureInfo.InvariantCulture, $"phantom-{i}"), bytes), cancellationToken).ConfigureAwait(false);
                if (outcome.Explanation is not { } explanation)
                {
                    continue;
                }

                var map = explanation.Map;
                explained++;
                milliseconds += map.Milliseconds;
                hits += lesion[Source(map.PeakX, map.PeakY, size, spec)] ? 1 : 0;
                var inside = 0;
                for (var y = 0; y < map.Size; y++)
                {
                    for (var x = 0; x < map.Size; x++)
                    {
                        inside += lesion[Source(x, y, size, spec)] ? 1 : 0;
                    }
                }

                coverage += (double)inside / (map.Size * map.Size);
            }

            return new PointingGameResult(count, explained, hits, explained == 0 ? 0 : (double)hits / explained, explained == 0 ? 0 : coverage / explained, explained == 0 ? 0 : milliseconds / explained, size, lesionScale);
        }
    }

    /// <summary>The source pixel (rows-major index) under a pixel of the model's input: the preprocessing resizes the shorter side, then crops the centre.</summary>
    internal static int Source(int x, int y, int size, PreprocessingSpec spec)
    {
        var resized = Math.Max((int)Math.Round((double)spec.ResizeShorterSide, MidpointRounding.AwayFromZero), spec.CropSize);
        var offset = (resized - spec.CropSize) / 2;
        var scale = (double)size / resized;
        var sx = Math.Clamp((int)Math.Floor((x + offset + 0.5) * scale), 0, size - 1);
        var sy = Math.Clamp((int)Math.Floor((y + offset + 0.5) * scale), 0, size - 1);
        return (sy * size) + sx;
    }
}
