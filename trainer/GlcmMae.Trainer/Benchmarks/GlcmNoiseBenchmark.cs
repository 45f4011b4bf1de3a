using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Losses;
using GlcmMae.Trainer.Synthesis;
using GlcmMae.Trainer.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>
/// <c>glcmmae bench glcm-noise</c>: how much of the GLCM term between two patches is sampling noise. On the texture
/// family, the term is measured between two patches of the same image, of two images of the same class, and of two
/// classes, at several bin counts; a term that carries class information is larger across classes than within one
/// (AUROC above 0.5). With <c>--pooled</c>, each sample is several patches pooled into one GLCM, as the loss's image
/// region pools an image's masked patches. This is the measurement behind docs/science.md's account of the stage-2 floor.
/// </summary>
internal static class GlcmNoiseBenchmark
{
    /// <param name="pooled">Patches pooled into one GLCM per sample (1: one patch, the method; more: <see cref="GlcmRegion.Image"/>), drawn from distinct cells of the image's patch grid.</param>
    public static IReadOnlyList<GlcmNoiseRow> Run(IReadOnlyList<int> bins, int patchSize, int imageSize, int pairs, long seed, int pooled = 1)
    {
        ArgumentNullException.ThrowIfNull(bins);
        var cells = (imageSize / patchSize) * (imageSize / patchSize);
        if (pooled < 1 || cells < 2 * pooled)
        {
            throw new ArgumentException($"--image-size ({imageSize}) must hold twice --pooled ({pooled}) patches of --patch-size ({patchSize}): {cells} fit.");
        }

        var family = new TextureFieldFamily();
        var classes = family.ClassNames.Count;
        var random = new Random((int)seed);
        var sameImage = (new float[pairs][], new float[pairs][]);
        var sameClass = (new float[pairs][], new float[pairs][]);
        var otherClass = (new float[pairs][], new float[pairs][]);
        for (var i = 0; i < pairs; i++)
        {
            var c = random.Next(classes);
            var d = (c + 1 + random.Next(classes - 1)) % classes;
            var image = family.Generate(imageSize, c, random);
            // Two disjoint sets of grid cells of one image, then one set from another image of the class and of another class.
            var order = Enumerable.Range(0, cells).OrderBy(_ => random.Next()).ToArray();
            sameImage.Item1[i] = Patches(image, imageSize, patchSize, order[..pooled]);
            sameImage.Item2[i] = Patches(image, imageSize, patchSize, order[pooled..(2 * pooled)]);
            sameClass.Item1[i] = sameImage.Item1[i];
            sameClass.Item2[i] = Patches(family.Generate(imageSize, c, random), imageSize, patchSize, order[pooled..(2 * pooled)]);
            otherClass.Item1[i] = sameImage.Item1[i];
            otherClass.Item2[i] = Patches(family.Generate(imageSize, d, random), imageSize, patchSize, order[pooled..(2 * pooled)]);
        }

        var rows = new List<GlcmNoiseRow>();
        foreach (var k in bins)
        {
            var loss = GlcmLoss.Create(new GlcmLossOptions { Bins = k, Normalisation = GlcmNormalisation.Pixels }, DataRange.Unit);
            var within = Terms(loss, sameImage, patchSize, pooled);
            var same = Terms(loss, sameClass, patchSize, pooled);
            var other = Terms(loss, otherClass, patchSize, pooled);
            double[] scores = [.. same, .. other];
            bool[] positive = [.. same.Select(_ => false), .. other.Select(_ => true)];
            rows.Add(new GlcmNoiseRow(k, patchSize, pooled, pairs, within.Average(), same.Average(), other.Average(), Auroc.Compute(scores, positive) ?? double.NaN));
        }

        return rows;
    }

    // The pixel-normalised term between each pair of samples, each sample one GLCM pooled over its patches, as the
    // loss's image region computes it (one patch: the per-patch term). In chunks of at most 256 patches: the direct
    // form holds dense K x K matrices and memberships per patch.
    private static double[] Terms(GlcmLoss loss, (float[][] First, float[][] Second) pairs, int patchSize, int pooled)
    {
        var terms = new List<double>();
        var chunk = Math.Max(1, 256 / pooled);
        for (var start = 0; start < pairs.First.Length; start += chunk)
        {
            using var scope = torch.NewDisposeScope();
            using var noGradient = torch.no_grad();
            var count = Math.Min(chunk, pairs.First.Length - start);
            var first = torch.tensor(pairs.First.Skip(start).Take(count).SelectMany(p => p).ToArray(), [count * pooled, patchSize, patchSize]);
            var second = torch.tensor(pairs.Second.Skip(start).Take(count).SelectMany(p => p).ToArray(), [count * pooled, patchSize, patchSize]);
            var sample = TensorMath.Arange(count).repeat_interleave(pooled);
            // One patch: the per-patch term in the configured (sparse, fast) form, which the pooled one equals there.
            var values = pooled == 1
                ? loss.PerPatch(first, second).Times(loss.Options.NormalisationFactor(patchSize * patchSize))
                : loss.PooledPerImage(first, second, sample, count);
            terms.AddRange(values.data<float>().Select(v => (double)v));
        }

        return [.. terms];
    }

    // The patches at the given cells of the image's patch grid, one after another.
    private static float[] Patches(float[] image, int size, int patchSize, int[] cells)
    {
        var across = size / patchSize;
        var patches = new float[cells.Length * patchSize * patchSize];
        for (var p = 0; p < cells.Length; p++)
        {
            var (top, left) = (cells[p] / across * patchSize, cells[p] % across * patchSize);
            for (var y = 0; y < patchSize; y++)
            {
                Array.Copy(image, ((top + y) * size) + left, patches, ((p * patchSize) + y) * patchSize, patchSize);
            }
        }

        return patches;
    }
}
