using static TorchSharp.torch;

namespace GlcmMae.Trainer.Models;

/// <summary>MAE's patch layout: (B, C, H, W) to (B, patches, P*P*C) with channels fastest, and back.</summary>
internal static class PatchLayout
{
    /// <summary>Images (B, C, H, W) to patch rows (B, L, P*P*C).</summary>
    public static Tensor Patchify(Tensor images, int patchSize)
    {
        var batch = images.shape[0];
        var channels = images.shape[1];
        var rows = images.shape[2] / patchSize;
        var columns = images.shape[3] / patchSize;
        return images.reshape(batch, channels, rows, patchSize, columns, patchSize)
            .permute(0, 2, 4, 3, 5, 1)
            .reshape(batch, rows * columns, patchSize * patchSize * channels);
    }

    /// <summary>Patch rows (B, L, P*P*C) back to square images (B, C, H, W).</summary>
    public static Tensor Unpatchify(Tensor patches, int patchSize, int channels)
    {
        var batch = patches.shape[0];
        var grid = (long)Math.Round(Math.Sqrt(patches.shape[1]));
        return patches.reshape(batch, grid, grid, patchSize, patchSize, channels)
            .permute(0, 5, 1, 3, 2, 4)
            .reshape(batch, channels, grid * patchSize, grid * patchSize);
    }

    /// <summary>One channel of patch rows as square patches: (B, L, P*P*C) to (B, L, P, P).</summary>
    public static Tensor ChannelPatches(Tensor patches, int patchSize, int channels, int channel = 0)
    {
        var batch = patches.shape[0];
        var count = patches.shape[1];
        return patches.view(batch, count, patchSize, patchSize, channels).select(-1, channel);
    }
}
