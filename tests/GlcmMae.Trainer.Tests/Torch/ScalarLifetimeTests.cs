using GlcmMae.Trainer.Torch;
using TorchSharp;

namespace GlcmMae.Trainer.Tests.Torch;

public sealed class ScalarLifetimeTests
{
    [Fact]
    public void The_scan_finds_what_it_must()
    {
        var unsafeMethods = ScalarTemporaries.UnsafeTorchSharpMethods;

        // Tensor + Tensor is add(target, 1): a temporary Scalar inside TorchSharp, reached through add(Tensor).
        Assert.Contains(unsafeMethods, m => m.Name == "op_Addition" && m.GetParameters().All(p => p.ParameterType == typeof(torch.Tensor)));
        Assert.Contains(unsafeMethods, m => m.Name == "op_Multiply" && m.GetParameters()[1].ParameterType == typeof(double));
        // TorchSharp's AdamW step converts its hyperparameters on every update.
        Assert.Contains(typeof(TorchSharp.Modules.AdamW), ScalarTemporaries.UnsafeOptimizerTypes);
        // With the Scalar given, nothing is made inside: the caller decides how long it lives.
        Assert.DoesNotContain(unsafeMethods, m => m.DeclaringType == typeof(torch.Tensor) && m.Name == "add" && m.GetParameters() is [{ ParameterType: var t }, { ParameterType: var s }] && t == typeof(torch.Tensor) && s == typeof(Scalar));
    }

    [Fact]
    public void The_trainer_hands_libtorch_no_scalar_it_does_not_keep_alive()
    {
        var found = ScalarTemporaries.Find(typeof(TensorMath).Assembly, typeof(TensorMath));

        Assert.True(found.Count == 0, $"{found.Count} calls make a Scalar temporary (use TensorMath):\n" + string.Join("\n", found));
    }
}
