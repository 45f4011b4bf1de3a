using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Torch;

/// <summary>
/// Tensor arithmetic with scalars that live until libtorch is done with them. The rule: no TorchSharp call in this
/// project creates a <see cref="Scalar"/> it does not keep alive. <c>a + b</c> on tensors is TorchSharp's
/// <c>add(b, 1)</c>, and <c>a * 0.5</c> converts 0.5 implicitly: either way a temporary Scalar's handle is passed to
/// native code while nothing references the Scalar, so the finalizer may free it mid-call, and libtorch then reads a
/// freed scalar (<c>c10::Scalar::toFloat</c>: "Expected false to be true"; dotnet/TorchSharp#1496). Here every scalar
/// is either a static that lives as long as the process or is disposed after the call that reads it, which keeps it
/// reachable until then, and only TorchSharp methods that take every scalar from the caller are called (<c>add(s)</c>
/// alone would make its alpha 1 inside). <c>ScalarLifetimeTests</c> scans the compiled trainer for any other kind of call.
/// </summary>
internal static class TensorMath
{
    /// <summary>The scalar 1 (alpha of additions, index_add): reachable from a static for the life of the process, so never finalized; never dispose it.</summary>
    public static Scalar One { get; } = 1.ToScalar();

    /// <summary><paramref name="left"/> + <paramref name="right"/> (tensors).</summary>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, One);

    /// <summary>In place: <paramref name="left"/> += <paramref name="right"/>.</summary>
    public static Tensor PlusInPlace(this Tensor left, Tensor right) => left.add_(right, One);

    /// <summary><paramref name="left"/> + a floating-point scalar.</summary>
    public static Tensor Plus(this Tensor left, double right)
    {
        using var scalar = right.ToScalar();
        return left.add(scalar, One);
    }

    /// <summary><paramref name="left"/> + an integer scalar (integer tensors stay integer).</summary>
    public static Tensor Plus(this Tensor left, long right)
    {
        using var scalar = right.ToScalar();
        return left.add(scalar, One);
    }

    /// <summary><paramref name="left"/> - a floating-point scalar.</summary>
    public static Tensor Minus(this Tensor left, double right)
    {
        using var scalar = right.ToScalar();
        return left.sub(scalar);
    }

    /// <summary><paramref name="left"/> - <paramref name="right"/>, a scalar minus a tensor.</summary>
    public static Tensor Minus(double left, Tensor right)
    {
        ArgumentNullException.ThrowIfNull(right);
        using var scalar = left.ToScalar();
        using var negated = right.neg();
        return negated.add(scalar, One);
    }

    /// <summary><paramref name="left"/> x a floating-point scalar.</summary>
    public static Tensor Times(this Tensor left, double right)
    {
        using var scalar = right.ToScalar();
        return left.mul(scalar);
    }

    /// <summary><paramref name="left"/> x an integer scalar (integer tensors stay integer).</summary>
    public static Tensor Times(this Tensor left, long right)
    {
        using var scalar = right.ToScalar();
        return left.mul(scalar);
    }

    /// <summary><paramref name="left"/> / a scalar.</summary>
    public static Tensor DividedBy(this Tensor left, double right)
    {
        using var scalar = right.ToScalar();
        return left.div(scalar);
    }

    /// <summary>x², as x x (what libtorch's pow(x, 2) computes, gradient included), without pow's implicit exponent.</summary>
    public static Tensor Squared(this Tensor input) => input.mul(input);

    /// <summary>0, 1, ..., <paramref name="stop"/> - 1 as int64.</summary>
    public static Tensor Arange(long stop, Device? device = null)
    {
        using var first = 0L.ToScalar();
        using var end = stop.ToScalar();
        return torch.arange(first, end, One, ScalarType.Int64, device);
    }

    /// <summary><paramref name="start"/>, <paramref name="start"/> + 1, ..., below <paramref name="stop"/>, in <paramref name="type"/>.</summary>
    public static Tensor Arange(double start, double stop, ScalarType type, Device? device = null)
    {
        using var first = start.ToScalar();
        using var end = stop.ToScalar();
        return torch.arange(first, end, One, type, device);
    }

    /// <summary>A scalar for the caller to hold in a <c>using</c> around the calls that read it (disposing it after them keeps it alive until then).</summary>
    public static Scalar Owned(double value) => value.ToScalar();

    /// <summary>Runs <paramref name="call"/> with a floating-point scalar that stays alive until the call returns.</summary>
    public static T WithScalar<T>(double value, Func<Scalar, T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var scalar = value.ToScalar();
        return call(scalar);
    }

    /// <summary>Runs <paramref name="call"/> with an integer scalar that stays alive until the call returns.</summary>
    public static T WithScalar<T>(long value, Func<Scalar, T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var scalar = value.ToScalar();
        return call(scalar);
    }

    /// <summary>Runs <paramref name="call"/> with two integer scalars that stay alive until it returns (bounds of an integer tensor).</summary>
    public static T WithScalars<T>(long first, long second, Func<Scalar, Scalar, T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var a = first.ToScalar();
        using var b = second.ToScalar();
        return call(a, b);
    }

    /// <summary>Runs <paramref name="call"/> with two floating-point scalars that stay alive until it returns.</summary>
    public static T WithScalars<T>(double first, double second, Func<Scalar, Scalar, T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var a = first.ToScalar();
        using var b = second.ToScalar();
        return call(a, b);
    }
}
