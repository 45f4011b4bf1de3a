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
        var angle = torch.rand([count, 1, 1], generator: generator) * Math.PI;
        var frequency = (torch.rand([count, 1, 1], generator: generator) * 20) + 4;
        var grating = torch.sin(((x * angle.cos()) + (y * angle.sin())) * frequency * (2 * Math.PI));
        var shading = (torch.rand([count, 1, 1], generator: generator) * 0.4) + 0.3 + ((x - 0.5) * 0.2);
        var speckleLevel = torch.rand([count, 1, 1], generator: generator) * 0.25;
        var speckle = torch.randn([count, size, size], generator: generator) * speckleLevel;
        var image = (shading + (grating * 0.15) + speckle).clamp(0, 1);
        return image.unsqueeze(1).expand(count, channels, size, size).contiguous().MoveToOuterDisposeScope();
    }
}
