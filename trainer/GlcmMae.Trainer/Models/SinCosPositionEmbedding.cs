using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Models;

/// <summary>Fixed 2-D sine-cosine position embeddings of MAE, for encoder and decoder alike.</summary>
/// <remarks>
/// For a D-dimensional embedding the first D/2 values encode the patch column and the last D/2 the row; each half is
/// [sin | cos] of position * omega_i with omega_i = 1 / 10000^(2i / (D/2)), i &lt; D/4. Tokens are row-major; with a class
/// token, its embedding (row 0) is all zeros.
/// </remarks>
internal static class SinCosPositionEmbedding
{
    /// <summary>The (tokens x dim) table as floats, tokens = (clsToken ? 1 : 0) + gridSize^2.</summary>
    public static float[] Create(int dim, int gridSize, bool clsToken)
    {
        if (dim <= 0 || dim % 4 != 0)
        {
            throw new ArgumentException($"The embedding dimension must be a positive multiple of 4, not {dim}.", nameof(dim));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(gridSize, 1);
        var half = dim / 2;
        var quarter = dim / 4;
        var offset = clsToken ? 1 : 0;
        var table = new float[(offset + (gridSize * gridSize)) * dim];
        for (var row = 0; row < gridSize; row++)
        {
            for (var column = 0; column < gridSize; column++)
            {
                var token = offset + (row * gridSize) + column;
                var values = table.AsSpan(token * dim, dim);
                for (var i = 0; i < quarter; i++)
                {
                    var omega = 1.0 / Math.Pow(10000.0, i / (double)quarter);
                    values[i] = (float)Math.Sin(column * omega);
                    values[quarter + i] = (float)Math.Cos(column * omega);
                    values[half + i] = (float)Math.Sin(row * omega);
                    values[half + quarter + i] = (float)Math.Cos(row * omega);
                }
            }
        }

        return table;
    }

    /// <summary>The table as a (1, tokens, dim) tensor, ready to add to token embeddings.</summary>
    public static Tensor CreateTensor(int dim, int gridSize, bool clsToken)
    {
        var table = Create(dim, gridSize, clsToken);
        return torch.tensor(table, [1, table.Length / dim, dim]);
    }
}
