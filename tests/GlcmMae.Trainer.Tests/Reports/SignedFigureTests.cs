using GlcmMae.Trainer.Reports;

namespace GlcmMae.Trainer.Tests.Reports;

public sealed class SignedFigureTests
{
    [Theory]
    [InlineData(0.0204, "+0.020")]
    [InlineData(-0.0126, "-0.013")]
    [InlineData(-0.0004, "+0.000")]
    [InlineData(0.0, "+0.000")]
    [InlineData(0.0595, "+0.060")]
    public void Differences_keep_their_sign_and_a_rounded_zero_has_one(double value, string expected)
    {
        // bench ssl printed "-+0.000" for a difference of -0.0004 before.
        Assert.Equal(expected, SignedFigure.Format(value));
    }
}
