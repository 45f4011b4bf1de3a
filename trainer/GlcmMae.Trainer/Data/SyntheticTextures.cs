using GlcmMae.Trainer.Torch;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Data;

/// <summary>Generated texture images for tests, demos and benchmarks: smooth shading plus oriented gratings and speckle, in [0, 1].</summary>
internal static class SyntheticTextures
{
    /// <summary>A batch (count, channels, size, size) that is the same for the same seed.</summary>
    public static Tensor Batch(int count, int size, int channels = 1, long seed = 0)
    {
        using var scope = torch.NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var coordinates = torch.linspace(0, 1, size);
        var y = coordinates.view(1, size, 1);
        var x = coordinates.view(1, 1, size);
        var angle = torch.rand([count, 1, 1], generator: generator).Times(Math.PI);
        var frequency = torch.rand([count, 1, 1], generator: generator).Times(20L).Plus(4L);
        var grating = torch.sin((x * angle.cos()).Plus(y * angle.sin()) * frequency.Times(2 * Math.PI));
        var shading = torch.rand([count, 1, 1], generator: generator).Times(0.4).Plus(0.3).Plus(x.Minus(0.5).Times(0.2));
        var speckleLevel = torch.rand([count, 1, 1], generator: generator).Times(0.25);
        var speckle = torch.randn([count, size, size], generator: generator) * speckleLevel;
        var image = TensorMath.WithScalars(0.0, 1.0, shading.Plus(grating.Times(0.15)).Plus(speckle).clamp);
        return image.unsqueeze(1).expand(count, channels, size, size).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Writes <paramref name="count"/> 8-bit grayscale PNGs (texture-00000.png, ...) into a folder and returns their paths.</summary>
    public static IReadOnlyList<string> WritePngs(string folder, int count, int size, long seed = 0)
    {
        Directory.CreateDirectory(folder);
        using var batch = Batch(count, size, 1, seed);
        var values = batch.contiguous().data<float>().ToArray();
        var paths = new string[count];
        for (var i = 0; i < count; i++)
        {
            using var image = new Image<L8>(size, size);
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    image[x, y] = new L8((byte)Math.Round(values[(i * size * size) + (y * size) + x] * 255));
                }
            }

            paths[i] = Path.Combine(folder, FormattableString.Invariant($"texture-{i:D5}.png"));
            image.SaveAsPng(paths[i]);
        }

        return paths;
    }
}
