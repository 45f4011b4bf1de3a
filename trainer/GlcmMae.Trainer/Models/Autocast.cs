using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Models;

/// <summary>Mixed precision for the transformer's matrix products: Linear layers compute in a lower precision while weights, norms and losses stay float32.</summary>
/// <remarks>
/// TorchSharp 0.107 has no torch.autocast, so the blocks route their Linear layers through <see cref="Linear"/>, which
/// casts input and weights while a scope is active (what autocast does for matmul-class ops); gradients flow back
/// through the casts to the float32 weights.
/// </remarks>
internal static class Autocast
{
    private static readonly AsyncLocal<ScalarType?> Current = new();

    /// <summary>The lower precision in effect, if any.</summary>
    public static ScalarType? Precision => Current.Value;

    /// <summary>Runs Linear layers in <paramref name="precision"/> until disposed; null leaves float32.</summary>
    public static IDisposable Enable(ScalarType? precision)
    {
        var previous = Current.Value;
        Current.Value = precision;
        return new Scope(previous);
    }

    /// <summary>The layer's output, in the active precision when a scope is on.</summary>
    public static Tensor Linear(TorchSharp.Modules.Linear layer, Tensor input)
    {
        if (Current.Value is not { } precision)
        {
            return layer.forward(input);
        }

        using var weight = layer.weight!.to_type(precision);
        using var bias = layer.bias?.to_type(precision);
        using var cast = input.to_type(precision);
        return nn.functional.linear(cast, weight, bias);
    }

    private sealed class Scope(ScalarType? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
