using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace GlcmMae.Shared.Inference;

/// <summary>Turns a failure of ONNX Runtime's CUDA provider into one line that names the cause and what to do about it.</summary>
/// <remarks>
/// ONNX Runtime's own messages are poor guides here: a missing CUDA library surfaces as "Failed to load shared library"
/// (the library's name goes only to its stderr log), and a device error comes wrapped in source paths and template
/// signatures. The diagnosis finds the missing library by loading the provider itself and keeps the CUDA error text.
/// </remarks>
public static partial class CudaProviderDiagnosis
{
    private const string InstallCuda = "install the CUDA 13 runtime (cudart, cuBLAS, cuFFT, cuRAND) and cuDNN 9 on the library path, as functions/Dockerfile does";
    private const string GiveGpu = "give this host or container a GPU (docker: --gpus all or infra/docker-compose.gpu.yml; Container Apps: a GPU workload profile)";

    /// <summary>The line for an ONNX Runtime build without the CUDA provider.</summary>
    public const string NotInThisBuild = "this ONNX Runtime build has no CUDA provider (the default build is CPU-only; build with -p:OnnxRuntimeBackend=cuda, as functions/Dockerfile does)";

    /// <summary>One line for logs, metrics and /api/health/details: what failed and how to make CUDA work (or to choose the CPU on purpose).</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is EntryPointNotFoundException)
        {
            return NotInThisBuild;
        }

        return DescribeMessage(exception.Message);
    }

    /// <summary>The line for an ONNX Runtime error message.</summary>
    internal static string DescribeMessage(string message)
    {
        var cudaError = CudaError().Match(message);
        if (cudaError.Success)
        {
            var code = cudaError.Groups["code"].Value;
            var what = $"CUDA error {code}: {cudaError.Groups["text"].Value.Trim()}";
            return code switch
            {
                // cudaErrorNoDevice, cudaErrorInsufficientDriver, cudaErrorDevicesUnavailable.
                "100" => $"{what}; {GiveGpu}",
                "35" => $"{what}; update the NVIDIA driver to one that supports CUDA 13",
                "46" => $"{what}; the GPU is in exclusive use by another process",
                _ => what,
            };
        }

        if (message.Contains("Failed to load", StringComparison.Ordinal))
        {
            return DescribeLoadFailure(ProviderLibraryPath());
        }

        return Clean(message);
    }

    /// <summary>Why the provider library at <paramref name="providerPath"/> cannot load, found by loading it (null path: not found).</summary>
    internal static string DescribeLoadFailure(string? providerPath)
    {
        if (providerPath is null || !File.Exists(providerPath))
        {
            return $"ONNX Runtime's CUDA provider library ({ProviderFileName}) is not beside ONNX Runtime; publish with -p:OnnxRuntimeBackend=cuda";
        }

        string? missing = null;
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(providerPath));
        }
        catch (DllNotFoundException exception)
        {
            var match = MissingLibrary().Match(exception.Message);
            missing = match.Success ? match.Groups["name"].Value : Clean(exception.Message);
        }

        return missing switch
        {
            null => "ONNX Runtime could not load its CUDA provider although its libraries load; see ONNX Runtime's log above this line",
            "libcuda.so.1" => $"the NVIDIA driver (libcuda.so.1) is not visible here; {GiveGpu}",
            _ when missing.StartsWith("libcu", StringComparison.Ordinal) => $"the CUDA provider cannot load {missing}; {InstallCuda}",
            _ => $"the CUDA provider cannot load: {missing}",
        };
    }

    private static string ProviderFileName => OperatingSystem.IsWindows() ? "onnxruntime_providers_cuda.dll" : "libonnxruntime_providers_cuda.so";

    /// <summary>ONNX Runtime loads its providers from the folder its own library was loaded from.</summary>
    internal static string? ProviderLibraryPath()
    {
        if (OperatingSystem.IsLinux() && File.Exists("/proc/self/maps"))
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var at = line.IndexOf('/', StringComparison.Ordinal);
                if (at >= 0 && line.EndsWith("/libonnxruntime.so", StringComparison.Ordinal))
                {
                    return Path.Combine(Path.GetDirectoryName(line[at..])!, ProviderFileName);
                }
            }
        }

        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, ProviderFileName),
            Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", ProviderFileName),
        };
        return candidates.FirstOrDefault(File.Exists);
    }

    // ONNX Runtime's messages lead with an error code and the source file; users need the sentence.
    private static string Clean(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return ErrorCodePrefix().Replace(line, string.Empty);
    }

    [GeneratedRegex(@"CUDA failure (?<code>\d+): (?<text>[^;]*)")]
    private static partial Regex CudaError();

    [GeneratedRegex(@"(?<name>[\w.+-]+\.so(\.\d+)*): cannot open shared object file")]
    private static partial Regex MissingLibrary();

    [GeneratedRegex(@"^\[ErrorCode:\w+\]\s*")]
    private static partial Regex ErrorCodePrefix();
}
