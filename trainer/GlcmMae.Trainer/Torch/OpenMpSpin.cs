using System.Runtime.InteropServices;

namespace GlcmMae.Trainer.Torch;

/// <summary>Shortens how long libtorch's idle OpenMP threads busy-wait, unless the user chose a value.</summary>
/// <remarks>
/// libgomp's threads spin for GOMP_SPINCOUNT (300,000) pause loops after each parallel region, which on current Xeons is
/// several milliseconds per region. Between two libtorch operations that is a fast hand-off, but the GLCM kernel runs
/// in .NET threads between them, and a spinning OpenMP thread takes one of the cores it needs (<c>glcmmae bench
/// train-step</c> measures it; the figures are in docs/training.md, "Measurements behind the defaults").
/// libgomp reads the variable when libtorch loads, so this must run first, through the C library: .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change the native environment on Unix.
/// </remarks>
internal static partial class OpenMpSpin
{
    /// <summary>The variable libgomp reads.</summary>
    public const string Variable = "GOMP_SPINCOUNT";

    /// <summary>The spin count set when the user has not set one.</summary>
    public const string DefaultValue = "10000";

    /// <summary>Sets <see cref="Variable"/> to <see cref="DefaultValue"/> in the native environment unless it is set; Linux only.</summary>
    /// <returns>True when this call set it.</returns>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || NativeValue() is not null)
        {
            return false;
        }

        if (setenv(Variable, DefaultValue, overwrite: 0) != 0)
        {
            throw new InvalidOperationException($"Could not set {Variable} (errno {Marshal.GetLastPInvokeError()}).");
        }

        return true;
    }

    /// <summary>The value libgomp will see: the native environment's, which .NET's own view need not show.</summary>
    public static string? NativeValue() =>
        OperatingSystem.IsLinux() ? Marshal.PtrToStringUTF8(getenv(Variable)) : Environment.GetEnvironmentVariable(Variable);

    // getenv's result belongs to the C library: read it as a pointer, never let the marshaller free it.
    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getenv(string name);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int setenv(string name, string value, int overwrite);
}
