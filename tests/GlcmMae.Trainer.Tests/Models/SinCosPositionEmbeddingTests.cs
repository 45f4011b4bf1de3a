using GlcmMae.Trainer.Models;

namespace GlcmMae.Trainer.Tests.Models;

public sealed class SinCosPositionEmbeddingTests
{
    [Fact]
    public void Class_token_is_zero_and_columns_come_before_rows()
    {
        const int dim = 16;
        var table = SinCosPositionEmbedding.Create(dim, gridSize: 3, clsToken: true);

        Assert.Equal((1 + 9) * dim, table.Length);
        Assert.All(table[..dim], v => Assert.Equal(0f, v));

        // Token for row 2, column 1: first quarter sin(column * omega_0 = 1), second quarter cos(1); then the row.
        var token = table.AsSpan((1 + (2 * 3) + 1) * dim, dim).ToArray();
        Assert.Equal(Math.Sin(1), token[0], 1e-6);
        Assert.Equal(Math.Cos(1), token[4], 1e-6);
        Assert.Equal(Math.Sin(2), token[8], 1e-6);
        Assert.Equal(Math.Cos(2), token[12], 1e-6);
        // omega_1 = 1 / 10000^(1/4) for D = 16.
        Assert.Equal(Math.Sin(2 / Math.Pow(10000, 0.25)), token[9], 1e-6);
    }

    [Fact]
    public void Dimension_must_be_a_multiple_of_four()
    {
        Assert.Throws<ArgumentException>(() => SinCosPositionEmbedding.Create(18, 2, clsToken: false));
    }
}
