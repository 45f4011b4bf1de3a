using GlcmMae.Trainer.Torch;

namespace GlcmMae.Trainer.Tests.Training;

public sealed class OpenMpSpinTests
{
    [Fact]
    public void Apply_sets_the_native_spin_count_only_when_the_user_has_not()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var userValue = Environment.GetEnvironmentVariable(OpenMpSpin.Variable);

        var applied = OpenMpSpin.Apply();
        var again = OpenMpSpin.Apply();

        Assert.False(again);
        if (userValue is null)
        {
            Assert.True(applied);
            Assert.Equal(OpenMpSpin.DefaultValue, OpenMpSpin.NativeValue());
        }
        else
        {
            Assert.False(applied);
            Assert.Equal(userValue, OpenMpSpin.NativeValue());
        }
    }
}
