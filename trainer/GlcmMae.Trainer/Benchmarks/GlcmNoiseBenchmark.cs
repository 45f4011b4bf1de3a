using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Losses;
using GlcmMae.Trainer.Synthesis;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>
/// <c>glcmmae bench glcm-noise</c>: how much of the GLCM term between two patches is sampling noise. On the texture
/// family, the term is measured between two patches of the same image, of two images of the same class, and of two
/// classes, at several bin counts; a term that carries class information is larger across classes than within one
/// (AUROC above 0.5). This is the measurement behind docs/science.md's account of the stage-2 floor.
/// </summary>
internal static class GlcmNoiseBenchmark
{
    public static IReadOnlyList<GlcmNoiseRow> Run(IReadOnlyList<int> bins, int patchSize, int imageSize, int pairs, long seed)
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (imageSize < 2 * patchSize)
        {
            throw new ArgumentException($"--image-size ({imageSize}) must hold two patches of --patch-size ({patchSize}) side by side.");
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
            // Two disjoint patches of one image: the left and the right half's top-left corners.
            sameImage.Item1[i] = Patch(image, imageSize, patchSize, 0, 0);
            sameImage.Item2[i] = Patch(image, imageSize, patchSize, 0, imageSize / 2);
            sameClass.Item1[i] = sameImage.Item1[i];
            sameClass.Item2[i] = Patch(family.Generate(imageSize, c, random), imageSize, patchSize, 0, 0);
            otherClass.Item1[i] = sameImage.Item1[i];
            otherClass.Item2[i] = Patch(family.Generate(imageSize, d, random), imageSize, patchSize, 0, 0);
        }

        var rows = new List<GlcmNoiseRow>();
        foreach (var k in bins)
        {
            var options = new GlcmLossOptions { Bins = k, Normalisation = GlcmNormalisation.Pixels };
            var loss = GlcmLoss.Create(options, DataRange.Unit);
            var factor = options.NormalisationFactor(patchSize);
            var within = Terms(loss, sameImage, patchSize, factor);
            var same = Terms(loss, sameClass, patchSize, factor);
            var other = Terms(loss, otherClass, patchSize, factor);
            double[] scores = [.. same, .. other];
            bool[] positive = [.. same.Select(_ => false), .. other.Select(_ => true)];
            rows.Add(new GlcmNoiseRow(k, patchSize, pairs, within.Average(), same.Average(), other.Average(), Auroc.Compute(scores, positive) ?? double.NaN));
        }

        return rows;
    }

    private static double[] Terms(GlcmLoss loss, (float[][] First, float[][] Second) pairs, int patchSize, double factor)
    {
        using var scope = torch.NewDisposeScope();
        using var noGradient = torch.no_grad();
        var first = torch.tensor(pairs.First.SelectMany(p => p).ToArray(), [pairs.First.Length, patchSize, patchSize]);
        var second = torch.tensor(pairs.Second.SelectMany(p => p).ToArray(), [pairs.Second.Length, patchSize, patchSize]);
        return [.. loss.PerPatch(first, second).data<float>().Select(v => v * factor)];
    }

    private static float[] Patch(float[] image, int size, int patchSize, int top, int left)
    {
        var patch = new float[patchSize * patchSize];
        for (var y = 0; y < patchSize; y++)
        {
            Array.Copy(image, ((top + y) * size) + left, patch, y * patchSize, patchSize);
        }

        return patch;
    }
}
