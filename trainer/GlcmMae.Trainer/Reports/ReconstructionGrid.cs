using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Torch;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Reports;

/// <summary>One row per image: input, masked input (removed patches grey), reconstruction, reconstruction with the visible patches pasted back.</summary>
internal static class ReconstructionGrid
{
    private const int Gap = 4;

    /// <summary>Writes an 8-bit grayscale PNG (channel 0) scaled over each row's input range.</summary>
    public static void Write(string path, Tensor images, Tensor prediction, Tensor mask, int patchSize)
    {
        var batch = (int)images.shape[0];
        var channels = (int)images.shape[1];
        var size = (int)images.shape[2];
        using var reconstruction = PatchLayout.Unpatchify(prediction, patchSize, channels);
        using var patchMask = PatchLayout.Unpatchify(mask.unsqueeze(-1).expand(-1, -1, patchSize * patchSize * channels), patchSize, channels);
        using var kept = TensorMath.Minus(1.0, patchMask);
        using var masked = images * kept;
        using var pasted = masked.Plus(reconstruction * patchMask);
        Tensor[] columns = [images, masked, reconstruction, pasted];
        using var canvas = new Image<L8>((4 * size) + (3 * Gap), (batch * size) + ((batch - 1) * Gap), new L8(255));
        for (var row = 0; row < batch; row++)
        {
            var input = images[row, 0].data<float>().ToArray();
            var low = input.Min();
            var high = Math.Max(input.Max(), low + 1e-6f);
            for (var column = 0; column < columns.Length; column++)
            {
                var values = columns[column][row, 0].contiguous().data<float>().ToArray();
                var isMaskedColumn = column == 1;
                var maskValues = patchMask[row, 0].contiguous().data<float>().ToArray();
                for (var y = 0; y < size; y++)
                {
                    for (var x = 0; x < size; x++)
                    {
                        var i = (y * size) + x;
                        var v = isMaskedColumn && maskValues[i] > 0.5f ? 0.5f : Math.Clamp((values[i] - low) / (high - low), 0f, 1f);
                        canvas[(column * (size + Gap)) + x, (row * (size + Gap)) + y] = new L8((byte)Math.Round(v * 255));
                    }
                }
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        canvas.SaveAsPng(path);
    }
}
