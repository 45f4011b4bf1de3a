namespace GlcmMae.Trainer.Training;

/// <summary>Train-time augmentation of preprocessed CHW images, deterministic for a given random source.</summary>
internal static class Augmentation
{
    /// <summary>Applies the mode to one square image in place.</summary>
    public static void Apply(AugmentationMode mode, float[] image, int channels, int size, Random random)
    {
        if (mode == AugmentationMode.Mae)
        {
            RandomResizedCrop(image, channels, size, random, minScale: 0.2);
        }

        if (mode is AugmentationMode.Flip or AugmentationMode.Mae && random.NextDouble() < 0.5)
        {
            FlipHorizontally(image, channels, size);
        }
    }

    /// <summary>Mirrors every row.</summary>
    public static void FlipHorizontally(float[] image, int channels, int size)
    {
        for (var row = 0; row < channels * size; row++)
        {
            image.AsSpan(row * size, size).Reverse();
        }
    }

    /// <summary>torchvision's RandomResizedCrop: area scale in [minScale, 1], aspect in [3/4, 4/3], resized back bilinearly.</summary>
    public static void RandomResizedCrop(float[] image, int channels, int size, Random random, double minScale)
    {
        var (top, left, height, width) = (0.0, 0.0, (double)size, (double)size);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var area = size * size * (minScale + ((1 - minScale) * random.NextDouble()));
            var aspect = Math.Exp(Math.Log(3.0 / 4) + ((Math.Log(4.0 / 3) - Math.Log(3.0 / 4)) * random.NextDouble()));
            var w = Math.Sqrt(area * aspect);
            var h = Math.Sqrt(area / aspect);
            if (w <= size && h <= size)
            {
                (top, left, height, width) = (random.NextDouble() * (size - h), random.NextDouble() * (size - w), h, w);
                break;
            }
        }

        var source = (float[])image.Clone();
        for (var c = 0; c < channels; c++)
        {
            var plane = source.AsSpan(c * size * size, size * size);
            for (var y = 0; y < size; y++)
            {
                var sy = Math.Clamp(top + ((y + 0.5) * height / size) - 0.5, 0, size - 1);
                var y0 = (int)sy;
                var y1 = Math.Min(y0 + 1, size - 1);
                var fy = (float)(sy - y0);
                for (var x = 0; x < size; x++)
                {
                    var sx = Math.Clamp(left + ((x + 0.5) * width / size) - 0.5, 0, size - 1);
                    var x0 = (int)sx;
                    var x1 = Math.Min(x0 + 1, size - 1);
                    var fx = (float)(sx - x0);
                    var upper = plane[(y0 * size) + x0] + ((plane[(y0 * size) + x1] - plane[(y0 * size) + x0]) * fx);
                    var lower = plane[(y1 * size) + x0] + ((plane[(y1 * size) + x1] - plane[(y1 * size) + x0]) * fx);
                    image[(c * size * size) + (y * size) + x] = upper + ((lower - upper) * fy);
                }
            }
        }
    }
}
